"""Notifications as recorded: one row per occasion (its unique key), what each person chose for
each kind, and the daily digests sent.

A row is written once per program and key (the scan and events both insert "if absent"), so a
reminder found again by the next scan, or by a task run twice, is the same row and is sent once:
`emailed_at` is set, under the row's lock, by whatever sent it (the email at once, or the digest
that listed it). The unread count in the header is kept on the person's membership
(`ProgramMembership.unread_notifications`), so showing it costs no query.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from psp.notifications.registry import DELIVERY_LABELS, Delivery
from psp.tenancy.base import ProgramOwned

DELIVERY_CHOICES = [(delivery.value, DELIVERY_LABELS[delivery]) for delivery in Delivery]


class Digest(ProgramOwned):
    """One person's daily digest for one local day of the program: made once, sent once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="The program's local date the digest is for.")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user", "day"], name="notification_digest_once_a_day"
            )
        ]

    def __str__(self):
        return f"Digest for {self.user} on {self.day}"


class Notification(ProgramOwned):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty for kinds sent by email only (an invitee without an account).",
    )
    email = models.EmailField(blank=True, help_text="For email-only kinds: the address.")
    kind = models.CharField(max_length=60)
    key = models.CharField(max_length=255, help_text="The occasion, unique in the program.")
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="The subject's page, a path.")
    practice = models.ForeignKey(
        "practices.Practice", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # The recipient's choice when the notification was recorded: changing a preference later
    # does not send (or hold back) what is already on its way.
    delivery = models.CharField(max_length=10, choices=DELIVERY_CHOICES)
    emailed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was emailed, at once or in a digest."
    )
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "key"], name="notification_key_once")
        ]
        indexes = [
            # The notification centre: a person's notifications, newest first.
            models.Index(
                fields=["program", "recipient", "-created_at"], name="notification_by_recipient"
            ),
            # The header's count when it is recomputed, and "mark all read".
            models.Index(
                fields=["program", "recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            # What waits for a digest.
            models.Index(
                fields=["program", "recipient", "created_at"],
                condition=Q(delivery="digest", emailed_at__isnull=True),
                name="notification_digest_waiting",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(ProgramOwned):
    """How one person wants one kind delivered in this program; without a row, the kind's
    default applies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=60)
    delivery = models.CharField(max_length=10, choices=DELIVERY_CHOICES)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user", "kind"], name="notification_preference_once"
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.kind} by {self.delivery}"
