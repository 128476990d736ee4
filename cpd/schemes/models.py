"""CPD schemes: the rules a professional body sets for continuing professional development,
kept as data, and the people's cycles under them.

A scheme's rules (cycle length and start, credits required in total, per year and per category,
credit rates and caps per activity type, carry-over) are a JSON document validated by
`cpd/schemes/rules.py`. Changing a scheme writes a new `CpdSchemeVersion`; a person's cycle keeps
the version it started under, so a rule change never rewrites a cycle already running or done.

Who a scheme applies to: practice roles (lead, staff) and program roles (coach...), optionally
only in some sectors, plus people chosen by hand (`CpdSchemeMember`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from psp.tenancy.base import ProgramOwned


class CpdScheme(ProgramOwned):
    code = models.SlugField(max_length=60, help_text="Short and stable, e.g. family-medicine.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # The body whose rules these are, as people name it ("a college of family physicians").
    body = models.CharField("professional body", max_length=200, blank=True)
    # Practice roles ("lead", "staff") and program roles ("coach", "manager", "admin").
    applies_to_roles = models.JSONField(default=list, blank=True)
    # Sector codes (psp.tenancy.models.Sector); empty: every sector.
    applies_to_sectors = models.JSONField(default=list, blank=True)
    # The version new cycles start under; set when the scheme's first version is written.
    current_version = models.ForeignKey(
        "cpd.CpdSchemeVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The template it was loaded from, if any ("" for a scheme written by hand).
    template_key = models.SlugField(max_length=60, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="cpd_scheme_code_unique"),
        ]

    def __str__(self):
        return self.name


class CpdSchemeVersion(ProgramOwned):
    """One version of a scheme's rules; never edited once written."""

    scheme = models.ForeignKey(CpdScheme, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    rules = models.JSONField(help_text="Validated by cpd/schemes/rules.py.")
    note = models.CharField("what changed", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["scheme", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "scheme", "number"], name="cpd_scheme_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.scheme} v{self.number}"


class CpdSchemeMember(ProgramOwned):
    """A person a scheme applies to because an admin chose them, whatever their role."""

    scheme = models.ForeignKey(CpdScheme, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cpd_scheme_members"
    )
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "scheme", "user"], name="cpd_scheme_member_unique"
            ),
        ]


class CpdVerifier(ProgramOwned):
    """Someone a program admin named to verify CPD activities (admins verify anyway)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cpd_verifier_roles"
    )
    named_at = models.DateTimeField(default=timezone.now)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="cpd_verifier_unique"),
        ]


class CycleStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Requirements met"
    CLOSED = "closed", "Closed"  # ended (met or not); kept for its transcript


class CpdCycle(ProgramOwned):
    """A person's cycle under a scheme: its dates, and the rules version it started under."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cpd_cycles"
    )
    scheme = models.ForeignKey(CpdScheme, on_delete=models.PROTECT, related_name="cycles")
    version = models.ForeignKey(CpdSchemeVersion, on_delete=models.PROTECT, related_name="cycles")
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The last day of the cycle.")
    # Credits brought in from the previous cycle under the scheme's carry-over rule.
    carried_in = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    status = models.CharField(max_length=10, choices=CycleStatus.choices, default=CycleStatus.OPEN)
    met_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person", "scheme", "starts_on"], name="cpd_cycle_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["program", "person", "ends_on"], name="cpd_cycle_person"),
            models.Index(fields=["program", "status", "ends_on"], name="cpd_cycle_status"),
        ]

    def __str__(self):
        return f"{self.scheme} {self.starts_on:%Y}–{self.ends_on:%Y}"
