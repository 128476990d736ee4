"""People (one account across programs), API tokens and invitations."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone

from psp.tenancy.base import ProgramOwned
from psp.tenancy.models import ProgramRole


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. One account may hold roles in several programs, so it is not program-owned."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    job_title = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)
    # Django admin access, for platform operators only.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    last_program = models.ForeignKey(
        "tenancy.Program", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(ProgramOwned):
    """A token for one person in one program. Only its hash is stored; the key is shown once."""

    PREFIX = "psp"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    # The public part of the key, used to find the row without scanning hashes.
    lookup = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["program", "user"])]

    def __str__(self):
        return f"{self.name} ({self.lookup})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def new_key(cls) -> tuple[str, str, str]:
        """A fresh (key, lookup, hash). The key is what the person copies once."""
        lookup = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        key = f"{cls.PREFIX}_{lookup}_{secret}"
        return key, lookup, _digest(key)

    @staticmethod
    def split_key(key: str) -> str | None:
        """The lookup part of a presented key, or None if it is not shaped like one of ours."""
        parts = key.split("_", 2)
        if len(parts) != 3 or parts[0] != ApiToken.PREFIX:
            return None
        return parts[1]

    def matches(self, key: str) -> bool:
        return secrets.compare_digest(self.key_hash, _digest(key))


class PracticeRole(models.TextChoices):
    LEAD = "lead", "Practice lead"
    STAFF = "staff", "Practice staff"


class Invitation(ProgramOwned):
    """An invitation of an email address into a program role, or into a practice."""

    email = models.EmailField()
    role = models.CharField(max_length=20, choices=ProgramRole.choices)
    practice = models.ForeignKey(
        "practices.Practice",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    practice_role = models.CharField(max_length=10, choices=PracticeRole.choices, blank=True)
    message = models.TextField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    send_error = models.TextField(blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # When the invitee was reminded of it (once: psp/accounts/reminders.py).
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["program", "email"])]

    def __str__(self):
        return f"Invitation of {self.email} as {self.get_role_display()}"

    @staticmethod
    def hash_token(token: str) -> str:
        return _digest(token)

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
