"""Credentials: the record of each CPD transcript or certificate made, with the code that lets
anyone holding the paper check it on the public page (/verify/).

One credential per report: making the document again makes a new credential and code, and the
older ones still verify (each says when it was issued). What the document attested at issue is
kept on the row (the cycle's standing, its totals, the day its requirements were met), so a
later change to the activities does not change what an issued paper is checked against. A
credential can be revoked; the check then says so.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cpd.credentials.codes import grouped
from psp.tenancy.base import ProgramOwned


class CredentialKind(models.TextChoices):
    TRANSCRIPT = "transcript", "CPD transcript"
    CERTIFICATE = "certificate", "CPD certificate"


class AttestedStatus(models.TextChoices):
    MET = "met", "Requirements met"
    IN_PROGRESS = "in_progress", "In progress: requirements not yet met"
    NOT_MET = "not_met", "Cycle ended without its requirements met"


class CpdCredential(ProgramOwned):
    kind = models.CharField(max_length=12, choices=CredentialKind.choices)
    cycle = models.ForeignKey("cpd.CpdCycle", on_delete=models.CASCADE, related_name="credentials")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cpd_credentials"
    )
    # The report whose PDF carries it (none for a document rendered outside a report).
    report = models.ForeignKey(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Looked up before any program is known (psp/tenancy/allowlist.py): unique installation-wide.
    code = models.CharField(max_length=12, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    # What the document attested when it was made.
    status = models.CharField(max_length=12, choices=AttestedStatus.choices)
    credits = models.DecimalField(max_digits=8, decimal_places=2)
    required = models.DecimalField(max_digits=8, decimal_places=2)
    unit = models.CharField(max_length=20, default="credits")
    met_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "report"],
                condition=Q(report__isnull=False),
                name="cpd_credential_once_per_report",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "cycle", "kind"], name="cpd_credential_cycle"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.display_code}"

    @property
    def display_code(self) -> str:
        return grouped(self.code)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
