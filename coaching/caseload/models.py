"""The program's rules for flagging practices in a caseload as needing attention or stalled, and
each practice's standing under them, kept for the program-wide caseload."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from practices import derived
from psp.tenancy.base import ProgramOwned


class Severity(models.TextChoices):
    OFF = "off", "Not checked"
    ATTENTION = "attention", "Needs attention"
    STALLED = "stalled", "Stalled"


class CaseloadRules(derived.DerivedSource):
    """One row per program (the defaults apply until an admin saves it). A day or count of 0
    switches that check off."""

    attention_days_without_visit = models.PositiveSmallIntegerField(
        "needs attention after days without a visit", default=45
    )
    stalled_days_without_visit = models.PositiveSmallIntegerField(
        "stalled after days without a visit", default=90
    )
    attention_overdue_actions = models.PositiveSmallIntegerField(
        "needs attention at this many overdue actions", default=1
    )
    stalled_overdue_actions = models.PositiveSmallIntegerField(
        "stalled at this many overdue actions", default=5
    )
    days_without_plan_progress = models.PositiveSmallIntegerField(
        "days without plan progress",
        default=60,
        help_text="No action done and no goal achieved in the active plan for this long.",
    )
    no_plan_progress = models.CharField(
        "when the plan makes no progress",
        max_length=10,
        choices=Severity.choices,
        default=Severity.ATTENTION,
    )
    assessment_overdue = models.CharField(
        "when a follow-up assessment is overdue",
        max_length=10,
        choices=Severity.choices,
        default=Severity.ATTENTION,
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    practice_path = derived.PROGRAM  # new rules change every practice's standing

    class Meta:
        verbose_name_plural = "caseload rules"
        constraints = [
            models.UniqueConstraint(fields=["program"], name="uniq_caseload_rules_per_program")
        ]

    def __str__(self):
        return "Caseload rules"


# A standing whose practice changed after it was computed (or that was never computed): what a
# read computes again itself, when there are few (coaching/caseload/standings.py).
CHANGED_SINCE_COMPUTED = Q(computed_at__isnull=True) | Q(changed_at__gt=F("computed_at"))


class CaseloadStanding(ProgramOwned):
    """A practice's caseload status as computed on `computed_on`, so that program-wide caseloads
    (10,000 practices) count, filter, sort and page in the database and compute in full only the
    practices on the page.

    Derived data, never edited: coaching/caseload/standings.py stamps `changed_at` whenever
    something the rules read changes (every write to those models, bulk ones too, through
    practices/derived.py), and a row counts as current only if it was computed today and its
    computation started after the last change (`computed_at >= changed_at`). Whatever is not
    current is computed again by the next program-wide read, or by the nightly job."""

    practice = models.ForeignKey(
        "practices.Practice", on_delete=models.CASCADE, related_name="caseload_standings"
    )
    # CaseloadStatus values and their rank (0 is the worst); empty until first computed.
    status = models.CharField(max_length=10, blank=True)
    rank = models.PositiveSmallIntegerField(null=True)
    days_without_visit = models.PositiveIntegerField(null=True)
    computed_on = models.DateField(null=True)
    # When the computation started (not when it was saved): a change made while it ran is newer.
    computed_at = models.DateTimeField(null=True)
    changed_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "practice"], name="uniq_caseload_standing_per_practice"
            )
        ]
        indexes = [
            models.Index(fields=["program", "computed_on", "rank"]),
            # Few rows (the practices changed since their standing was computed): every
            # program-wide read asks for them, and must not read every standing to find them.
            models.Index(
                fields=["program", "practice"],
                condition=CHANGED_SINCE_COMPUTED,
                name="caseload_standing_changed",
            ),
            # The program-wide caseload's order (standings.ORDER, worst first), so its first
            # page reads about fifty standings in order instead of sorting the whole program.
            models.Index(
                "program",
                "rank",
                Coalesce("days_without_visit", 0).desc(),
                name="caseload_standing_order",
            ),
        ]

    def __str__(self):
        return f"{self.practice_id}: {self.status or 'not computed'} on {self.computed_on}"
