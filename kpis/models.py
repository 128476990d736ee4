"""KPI definitions and targets, their values per practice and period, and the summaries the
dashboards read.

Values are one row per (definition, practice, period): entered by practice people or coaches,
imported (CSV or the API), or computed by the refresh job from a registered measure
(psp/measures). Dashboards never aggregate values on a page: the refresh job (kpis/refresh)
writes `KpiSummary` rows per period for the whole program and for each sector, region, coach
and stage, and stamps `KpiRefresh` so each dashboard can say how current it is.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from psp.measures.registry import Aggregation, Direction, Frequency, Unit
from psp.tenancy.base import ProgramOwned
from psp.tenancy.models import Sector

AMOUNT = {"max_digits": 16, "decimal_places": 4}


class Source(models.TextChoices):
    COMPUTED = "computed", "Computed from platform data"
    ENTERED = "entered", "Entered by the practice or its coach"


class KpiDefinition(ProgramOwned):
    code = models.SlugField(max_length=60, help_text="Short and stable, e.g. no-show-rate.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.COUNT)
    direction = models.CharField(
        "better when", max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    aggregation = models.CharField(
        max_length=10, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ENTERED)
    # For a computed KPI: the registered measure it is made of (psp/measures/registry.py).
    measure = models.CharField(max_length=80, blank=True)
    # Blank: every sector's practices; else only that sector's practices report it.
    sector = models.CharField(max_length=30, choices=Sector.choices, blank=True)
    target = models.DecimalField("program target", null=True, blank=True, **AMOUNT)
    min_value = models.DecimalField("lowest allowed value", null=True, blank=True, **AMOUNT)
    max_value = models.DecimalField("highest allowed value", null=True, blank=True, **AMOUNT)
    pack = models.CharField(max_length=60, blank=True, help_text="The KPI pack it came from.")
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="kpi_definition_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class KpiPracticeTarget(ProgramOwned):
    """A practice's own target for a KPI, in place of the program's."""

    definition = models.ForeignKey(
        KpiDefinition, on_delete=models.CASCADE, related_name="practice_targets"
    )
    practice = models.ForeignKey(
        "practices.Practice", on_delete=models.CASCADE, related_name="kpi_targets"
    )
    target = models.DecimalField(**AMOUNT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "definition", "practice"], name="kpi_practice_target_unique"
            ),
        ]


class ValueOrigin(models.TextChoices):
    ENTERED = "entered", "Entered"
    IMPORTED = "imported", "Imported from CSV"
    API = "api", "Sent through the API"
    COMPUTED = "computed", "Computed"


class KpiValue(ProgramOwned):
    definition = models.ForeignKey(KpiDefinition, on_delete=models.CASCADE, related_name="values")
    practice = models.ForeignKey(
        "practices.Practice", on_delete=models.CASCADE, related_name="kpi_values"
    )
    # The first day of the value's month, or of its quarter for a quarterly KPI.
    period = models.DateField()
    value = models.DecimalField(**AMOUNT)
    # A ratio KPI's two sums, kept so practices and periods combine as sum / sum.
    numerator = models.DecimalField(null=True, blank=True, **AMOUNT)
    denominator = models.DecimalField(null=True, blank=True, **AMOUNT)
    origin = models.CharField(max_length=10, choices=ValueOrigin.choices)
    note = models.CharField(max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    # The practice's percentile (0-100, better is higher whatever the KPI's direction) among
    # the practices of its sector with a value for the period; written by the refresh job, and
    # left empty when fewer than the program's peer minimum have one.
    peer_percentile = models.PositiveSmallIntegerField(null=True, blank=True)
    peer_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "definition", "practice", "period"],
                name="kpi_value_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["program", "definition", "period"], name="kpi_value_definition_period"
            ),
            models.Index(
                fields=["program", "practice", "definition", "period"],
                name="kpi_value_practice",
            ),
            # The API's cursor order (psp/api/pagination.py): latest period first, then id.
            models.Index(fields=["program", "period", "id"], name="kpi_value_by_period"),
        ]


class Breakdown(models.TextChoices):
    ALL = "all", "Whole program"
    SECTOR = "sector", "Sector"
    REGION = "region", "Region"
    COACH = "coach", "Coach"
    STAGE = "stage", "Stage"


class KpiSummary(ProgramOwned):
    """A KPI's aggregate for one period over one group of practices: the whole program
    (`breakdown` "all", `group_key` ""), or one sector, region, coach (the primary coach's user
    id) or stage. Written only by the refresh job."""

    definition = models.ForeignKey(
        KpiDefinition, on_delete=models.CASCADE, related_name="summaries"
    )
    period = models.DateField()
    breakdown = models.CharField(max_length=10, choices=Breakdown.choices)
    group_key = models.CharField(max_length=120, blank=True)
    practices = models.PositiveIntegerField(default=0)  # practices with a value
    value = models.DecimalField(null=True, blank=True, **AMOUNT)  # by the KPI's aggregation
    numerator = models.DecimalField(null=True, blank=True, **AMOUNT)
    denominator = models.DecimalField(null=True, blank=True, **AMOUNT)
    minimum = models.DecimalField(null=True, blank=True, **AMOUNT)
    p25 = models.DecimalField(null=True, blank=True, **AMOUNT)
    median = models.DecimalField(null=True, blank=True, **AMOUNT)
    p75 = models.DecimalField(null=True, blank=True, **AMOUNT)
    maximum = models.DecimalField(null=True, blank=True, **AMOUNT)
    # Practices meeting their target (their own, else the program's), of `practices`.
    on_target = models.PositiveIntegerField(default=0)
    # The distribution across practices: counts in ten equal bins from minimum to maximum.
    histogram = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "definition", "breakdown", "group_key", "period"],
                name="kpi_summary_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["program", "breakdown", "definition", "period"],
                name="kpi_summary_read",
            ),
        ]


class KpiMark(ProgramOwned):
    """How many interventions of one kind (plans activated, PDSA cycles started, visits) one
    group of practices had in one month: what the run charts of the dashboard are annotated
    with, stored by the refresh job (kpis/refresh/marks.py) so the page never counts visits."""

    source = models.CharField(max_length=20)  # kpis/dashboard/annotations.py names them
    month = models.DateField()
    breakdown = models.CharField(max_length=10, choices=Breakdown.choices)
    group_key = models.CharField(max_length=120, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "breakdown", "group_key", "source", "month"],
                name="kpi_mark_unique",
            ),
        ]


class KpiRefresh(ProgramOwned):
    """How current a program's KPI values and summaries are: one row per program."""

    # When the oldest write not yet covered by a refresh happened; when the latest refresh
    # started (it covers every write before then) and when one last finished
    # (kpis/refresh/services.py says how a write during a refresh is not lost).
    stale_since = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program"], name="kpi_refresh_one_per_program"),
        ]

    @property
    def is_current(self) -> bool:
        # A refresh clears `stale_since` when it ends having seen every write: while one
        # runs, the figures are still those of the one before ("updating").
        return self.refreshed_at is not None and self.stale_since is None
