"""Reports people asked for (or subscribed to), and their subscriptions.

A `Report` is one PDF of a registered document (registry.py) with its parameters: queued when
asked for, running in the worker with its progress, then done with its file, or failed with the
reason its requester reads. Its file is removed once the program's retention has passed; the row
stays, marked expired, so the person's list still says what was made."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import slugify

from psp.reports.storage import private_storage, report_path
from psp.tenancy.base import ProgramOwned


class ReportState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


# Still being made: the status page keeps asking for news.
IN_PROGRESS = (ReportState.QUEUED, ReportState.RUNNING)


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class ReportSubscription(ProgramOwned):
    """A document made for `user` every month or quarter, with saved parameters (filters)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions"
    )
    document = models.CharField(max_length=50)
    params = models.JSONField(default=dict, blank=True)
    description = models.CharField(max_length=300, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    # The first day the next report is due (the day after the period it covers has ended).
    next_run_on = models.DateField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["program", "active", "next_run_on"], name="reports_sub_due_idx"),
            models.Index(fields=["program", "user"], name="reports_sub_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.document} ({self.frequency}) for user {self.user_id}"


class Report(ProgramOwned):
    document = models.CharField(max_length=50)
    params = models.JSONField(default=dict, blank=True)
    description = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports"
    )
    subscription = models.ForeignKey(
        ReportSubscription,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    state = models.CharField(max_length=10, choices=ReportState.choices, default=ReportState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent, 0-100
    error = models.TextField(blank=True)  # why it failed, in words its requester reads
    file = models.FileField(
        storage=private_storage, upload_to=report_path, max_length=300, blank=True
    )
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # What makes a report once: "subscription:<id>:<period>" for a subscription's run.
    key = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "key"], condition=~Q(key=""), name="reports_key_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["program", "requested_by", "-created_at"], name="reports_mine_idx"
            ),
            models.Index(fields=["program", "state", "expires_at"], name="reports_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.document} #{self.pk} ({self.state})"

    @property
    def in_progress(self) -> bool:
        return self.state in IN_PROGRESS

    def download_name(self) -> str:
        """The file name the browser saves: the document and the description, e.g.
        practice_card-northshore-chc-2026-11.pdf."""
        stem = slugify(f"{self.document} {self.description}")[:100] or self.document
        return f"{stem}.pdf"
