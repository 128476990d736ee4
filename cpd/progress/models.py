"""Each person's stored CPD standing, so the program's completion (10,000 people) filters, groups,
counts and pages in the database instead of running the progress engine over every cycle on
every request.

Derived data, never edited by hand. cpd/progress/standings.py computes a program's rows with
the engine (`standings_rebuild`: the nightly job, or a page that finds them from an earlier day)
and the activity services bring one person's row up to date in their own transaction whenever
their current cycle's progress can change (cpd.progress.services.cycles_status_refresh), so what
lags is only what moves without a CPD write: who a scheme applies to (roles, memberships,
scheme changes), names, and "on pace", which moves with the calendar. `CpdStandingsRun` says
when the program's rows were last computed in full; the page shows it.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models

from cpd.progress.standing import Standing
from psp.tenancy.base import ProgramOwned
from psp.tenancy.models import Sector

SECTOR_LABELS = dict(Sector.choices)
NO_PRACTICE = "No practice (program staff)"


@dataclass(frozen=True)
class Shortfall:
    """A stored row's biggest shortfall, as the engine's Requirement names it."""

    kind: str
    label: str
    missing: Decimal
    due_on: date


class CpdStanding(ProgramOwned):
    """A person a scheme applies to, and where they stand in their cycle running today."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # For the link to the person's CPD page.
    membership = models.ForeignKey(
        "tenancy.ProgramMembership", on_delete=models.CASCADE, related_name="+"
    )
    # Copied for the list's order (by name within a standing) without joining every user.
    person_name = models.CharField(max_length=200, blank=True)
    person_email = models.CharField(max_length=254, blank=True)
    # Their first practice (where their CPD is filed); none for the program's own staff.
    practice = models.ForeignKey(
        "practices.Practice", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sector = models.CharField(max_length=30)
    scheme = models.ForeignKey("cpd.CpdScheme", on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(
        "cpd.CpdCycle", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # cpd.progress.standing.Standing, and its place in the list (0: behind, who needs attention
    # first; STANDING_ORDER).
    standing = models.CharField(max_length=10)
    rank = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=30, blank=True)
    credits = models.DecimalField(max_digits=8, decimal_places=2, null=True)  # with carried-in
    required = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    met_on = models.DateField(null=True)
    # The unmet requirement missing the most (the sooner due of two alike).
    shortfall_kind = models.CharField(max_length=20, blank=True)
    shortfall_label = models.CharField(max_length=200, blank=True)
    shortfall_missing = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    shortfall_due_on = models.DateField(null=True)
    computed_on = models.DateField()  # the day the standing was worked out for

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="cpd_standing_person"),
        ]
        indexes = [
            # The list's order: who needs attention first, by name within.
            models.Index(
                fields=["program", "rank", "person_name", "person_email", "membership"],
                name="cpd_standing_order",
            ),
            models.Index(fields=["program", "practice", "rank"], name="cpd_standing_practice"),
        ]

    def __str__(self):
        return f"{self.person_name or self.person_email}: {self.standing}"

    # What the completion page, its CSV and the API show of a row (`practice` joined).
    @property
    def practice_name(self) -> str:
        return self.practice.name if self.practice_id else NO_PRACTICE

    @property
    def sector_label(self) -> str:
        return SECTOR_LABELS.get(self.sector, self.sector)

    @property
    def standing_label(self) -> str:
        return Standing(self.standing).label

    @property
    def biggest_shortfall(self) -> Shortfall | None:
        if not self.shortfall_label:
            return None
        return Shortfall(
            self.shortfall_kind, self.shortfall_label, self.shortfall_missing, self.shortfall_due_on
        )


class CpdStandingsRun(ProgramOwned):
    """When a program's standings were last computed in full (one row per program)."""

    computed_on = models.DateField()
    computed_at = models.DateTimeField()
    people = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program"], name="cpd_standings_run_program"),
        ]

    def __str__(self):
        return f"CPD standings computed {self.computed_at:%Y-%m-%d %H:%M}"
