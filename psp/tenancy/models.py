"""Programs (the tenant) and the program-level roles people hold in them."""

from datetime import date, datetime
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from psp.dates import DEFAULT_STYLE, DateStyle
from psp.tenancy.base import ProgramOwned


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(f"“{value}” is not a time zone name such as America/Toronto.")


class Sector(models.TextChoices):
    PRIMARY_CARE = "primary_care", "Primary care"
    LAW = "law", "Law practice"
    EDUCATION = "education", "Education"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SOCIAL_SERVICES = "social_services", "Social services"


class Program(models.Model):
    """A Practice Support Program: the tenant. Not program-owned; it *is* the program."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=30, choices=Sector.choices, default=Sector.PRIMARY_CARE)
    description = models.TextField(blank=True)
    date_style = models.CharField(
        "date format",
        max_length=3,
        choices=DateStyle.choices,
        default=DEFAULT_STYLE,
        help_text="How the program's pages write dates and how people type them in forms.",
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=(
            'The program\'s local time: when a day starts for reminders ("tomorrow", '
            '"due in 3 days") and at what hour daily digests go out.'
        ),
    )
    digest_hour = models.PositiveSmallIntegerField(
        "daily digest hour",
        default=7,
        validators=[MaxValueValidator(23)],
        help_text="The hour (0–23, program time) at which daily digest emails are sent.",
    )
    report_retention_days = models.PositiveSmallIntegerField(
        "keep report files for (days)",
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="Generated PDF reports are deleted this many days after they are made.",
    )
    peer_group_minimum = models.PositiveSmallIntegerField(
        "smallest peer group shown",
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(100)],
        help_text=(
            "KPI comparisons and breakdowns over fewer practices than this are not shown, so "
            "that no single practice's figures can be worked out."
        ),
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("program_home", kwargs={"program": self.slug})

    @property
    def zone(self) -> ZoneInfo:
        """The program's time zone, for "today" and "tomorrow" in reminders and digests."""
        return ZoneInfo(self.time_zone)

    def local_now(self) -> datetime:
        return timezone.now().astimezone(self.zone)

    def local_today(self) -> date:
        return self.local_now().date()


class ProgramRole(models.TextChoices):
    ADMIN = "admin", "Program admin"
    MANAGER = "manager", "Program manager"
    COACH = "coach", "Coach"
    # Practice leads and staff: their access comes through their practice memberships.
    PRACTICE = "practice", "Practice member"


class ProgramMembership(ProgramOwned):
    """A person's place in one program. Without one, every page of the program answers 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_memberships"
    )
    role = models.CharField(max_length=20, choices=ProgramRole.choices)
    is_active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    # The header's unread notification count. Kept by the notification services (record, mark
    # read, mark all read) and recomputed when the notification centre opens, so showing it on
    # every page costs no query: the request already holds this row (ProgramAccess.membership).
    unread_notifications = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="uniq_membership_per_program")
        ]
        ordering = ["user__full_name", "user__email"]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"
