"""Assessment change as KPI measures: how far a practice's scores have moved from its baseline,
overall and domain by domain, as of the end of each month.

As the reports read change (assessments/rounds/for_reports.py): the practice's latest round
submitted by the month's end, against its baseline, the first submitted round of that same
instrument (so versions compare, by domain key). A value is the latest's score minus the
baseline's, in percentage points; none until a later round than the baseline is submitted, and
none for a domain either round did not score.

One measure per domain key of the shipped instrument packs (assessments/instruments/packs), not
per domain row: the registry is filled at start-up, before any program exists, and a domain's key
is what stays the same across versions of an instrument and across programs that loaded the same
pack (Domain.key), so a KPI defined on "assessment-change-team-roles" means the same thing
everywhere. A program's own instrument counts in a domain measure where it reuses a pack's key;
its other domains count only in the overall measure.
"""

from bisect import bisect_left
from collections import defaultdict
from decimal import Decimal

from assessments.instruments.packs.loader import available_packs
from assessments.rounds.models import Assessment, AssessmentStatus, DomainScore
from psp.measures.periods import Months, for_practices, month_end_instant, plain, program_compute
from psp.measures.registry import Aggregation, Direction, Measure, Unit

GROUP = "Assessment change"
SOURCES = ("assessments.Assessment",)


def _rounds(months: Months, practice_ids):
    rounds = Assessment.objects.filter(
        status=AssessmentStatus.SUBMITTED, submitted_at__lt=months.end_instant
    )
    return for_practices(rounds, practice_ids).order_by()


def _by_practice(rounds) -> dict[int, list[dict]]:
    """Practice -> its rounds (id, instrument, when, overall score), first submitted first."""
    practices = defaultdict(list)
    rows = rounds.values(
        "pk", "practice_id", "version__instrument_id", "submitted_at", "overall_score"
    ).order_by("practice_id", "submitted_at", "pk")
    for row in rows:
        practices[row["practice_id"]].append(row)
    return practices


def _compared(rounds: list[dict], months: Months):
    """(month, baseline, latest) for each month by whose end the practice had a later round
    than its baseline."""
    times = [row["submitted_at"] for row in rounds]
    for month in months:
        submitted = bisect_left(times, month_end_instant(month))
        if not submitted:
            continue
        latest = rounds[submitted - 1]
        baseline = next(
            row
            for row in rounds
            if row["version__instrument_id"] == latest["version__instrument_id"]
        )
        if baseline["pk"] != latest["pk"]:
            yield month, baseline, latest


def _change(practice_id, month, before: Decimal | None, after: Decimal | None):
    if before is not None and after is not None:
        yield plain(practice_id, month, after - before)


@program_compute
def overall_change_compute(program, *, months: Months, practice_ids):
    """Per practice and month: latest overall score minus the baseline's. One query."""
    return [
        value
        for practice_id, rounds in _by_practice(_rounds(months, practice_ids)).items()
        for month, baseline, latest in _compared(rounds, months)
        for value in _change(practice_id, month, baseline["overall_score"], latest["overall_score"])
    ]


def domain_change_compute(domain_key: str):
    @program_compute
    def compute(program, *, months: Months, practice_ids):
        """Per practice and month: the domain's latest percent minus the baseline's. Two
        queries: the rounds, and their scores of the domain."""
        rounds = _rounds(months, practice_ids)
        percents = dict(
            DomainScore.objects.filter(
                assessment__in=rounds.values("pk"), domain_key=domain_key, percent__isnull=False
            ).values_list("assessment_id", "percent")
        )
        return [
            value
            for practice_id, practice_rounds in _by_practice(rounds).items()
            for month, baseline, latest in _compared(practice_rounds, months)
            for value in _change(
                practice_id, month, percents.get(baseline["pk"]), percents.get(latest["pk"])
            )
        ]

    return compute


def _change_measure(code: str, name: str, description: str, compute) -> Measure:
    return Measure(
        code=code,
        name=name,
        description=description,
        unit=Unit.SCORE,
        direction=Direction.HIGHER,
        aggregation=Aggregation.MEAN,
        compute=compute,
        app="assessments",
        group=GROUP,
        sources=SOURCES,
    )


def _pack_domains() -> dict[str, tuple[str, list[str]]]:
    """Domain key -> (its name in the first pack that has it, the names of the packs)."""
    domains: dict[str, tuple[str, list[str]]] = {}
    for pack in available_packs():
        for domain in pack.domains:
            name, packs = domains.setdefault(domain["key"], (domain["name"], []))
            packs.append(pack.name)
    return domains


MEASURES = [
    _change_measure(
        "assessment-change",
        "Assessment change",
        "The practice's latest submitted overall score by the end of the month minus its "
        "baseline's (first round of the same instrument), in points.",
        overall_change_compute,
    ),
    *(
        _change_measure(
            f"assessment-change-{key}",
            f"Assessment change: {name}",
            f"The practice's latest submitted score in “{name}” by the end of the month minus "
            f"its baseline's, in points ({', '.join(packs)}).",
            domain_change_compute(key),
        )
        for key, (name, packs) in _pack_domains().items()
    ),
]
