"""What apps tell the KPI app: the measures it can compute from platform data.

An app registers its measures in its own `measures.py` (found at start-up by
`autodiscover_modules("measures")` in kpis/apps.py), never by editing `kpis`: coaching registers
the dose of support, assessments the change in domain scores, practices the time in each stage,
and CPD and compliance join the same way. A measure answers one question for one program: what
was its value for each practice in each month asked for?

The KPI app keeps the answers as the computed KPI's values (one per practice and month) and
aggregates them into the summaries the dashboards read, so a measure runs in a background job,
never on a page. It must cost a fixed handful of grouped queries, whatever the number of
practices and months, and yield nothing for a practice and month it has no value for.
psp/measures/periods.py holds what every measure module shares (the months asked for, the
program's scope, the shape of a value).

A ratio measure (Aggregation.RATIO) gives `value == numerator / denominator` exactly, so its
numerator is pre-scaled: a percent's numerator is 100 × the count (3 of 4 actions on time:
numerator 300, denominator 4, value 75). The KPI engine combines practices and months of a ratio
as sum(numerator) / sum(denominator), and every other measure by its aggregation.
"""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import models


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENT = "percent", "Percent"
    DAYS = "days", "Days"
    MINUTES = "minutes", "Minutes"
    HOURS = "hours", "Hours"
    CURRENCY = "currency", "Currency"
    SCORE = "score", "Score"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NEUTRAL = "neutral", "Neither"


class Aggregation(models.TextChoices):
    """How a KPI's values combine over practices and over the months of a longer period."""

    SUM = "sum", "Sum"
    MEAN = "mean", "Mean"
    MEDIAN = "median", "Median"
    LATEST = "latest", "Latest value"
    RATIO = "ratio", "Ratio of two sums"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


@dataclass(frozen=True)
class MeasureValue:
    """One practice's value for one period (the first day of its month). A ratio measure
    gives its numerator and denominator as well, so that practices and months combine as
    sum(numerator) / sum(denominator) rather than as a mean of ratios."""

    practice_id: int
    period: date
    value: Decimal
    numerator: Decimal | None = None
    denominator: Decimal | None = None


@dataclass(frozen=True)
class Measure:
    code: str  # unique, a slug: "coaching-hours"; a computed KPI definition names it
    name: str  # "Coaching hours"
    description: str  # one sentence: what is counted, and from what
    unit: str  # a Unit
    direction: str  # a Direction
    aggregation: str  # an Aggregation
    # compute(program, *, months=[first days of months], practice_ids=None | ids)
    #   -> Iterable[MeasureValue]; practice_ids None means every practice of the program.
    compute: Callable[..., Iterable[MeasureValue]]
    app: str = ""  # the app that registered it, e.g. "coaching"
    group: str = ""  # for the definitions page: "Coaching dose", "Assessment change", ...
    # Which KPI app writes make this measure stale: the models whose writes (through the
    # derived-data marks of practices/derived.py) call for a refresh. Informational.
    sources: tuple[str, ...] = field(default=())


@dataclass
class Registry:
    measures: dict[str, Measure] = field(default_factory=dict)

    def add(self, measure: Measure) -> Measure:
        existing = self.measures.get(measure.code)
        if existing is not None and existing != measure:
            raise ValueError(f"Measure {measure.code!r} is registered twice.")
        self.measures[measure.code] = measure
        return measure

    def get(self, code: str) -> Measure | None:
        return self.measures.get(code)

    def all(self) -> list[Measure]:
        return sorted(self.measures.values(), key=lambda m: (m.group, m.name))


registry = Registry()


def register_measure(measure: Measure) -> Measure:
    return registry.add(measure)


def compute_values(
    program, code: str, *, months: Collection[date], practice_ids: Collection[int] | None = None
) -> Iterable[MeasureValue]:
    measure = registry.get(code)
    if measure is None:
        raise KeyError(f"No measure {code!r} is registered.")
    return measure.compute(program, months=sorted(months), practice_ids=practice_ids)
