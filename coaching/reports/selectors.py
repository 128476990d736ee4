"""Reads for the coaching documents (the practice report card, the program report). They run in
the worker inside the program in scope, for whoever requested them (the reports app checked
the capability), so they read program-wide rather than through a person's access.

A practice's card is a fixed handful of queries. The program report reads its practices in
chunks (CHUNK at a time, by keyset) with the same queries per chunk whatever its size, and its
summaries are grouped queries or streams, so neither time per practice nor memory grows with
the program.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Count, Q, QuerySet

from assessments.rounds.for_reports import overall_scores
from coaching.actions.models import ActionStatus, PlanAction
from coaching.caseload.dose import _SUMS, Dose, DoseRow, _dose, with_bars
from coaching.caseload.models import CaseloadStanding
from coaching.caseload.rules import CaseloadStatus
from coaching.caseload.selectors import caseload_rules, entries_of
from coaching.caseload.standings import ORDER, standings_catch_up
from coaching.feedback.models import FeedbackResponse
from coaching.feedback.selectors import net_promoter_score
from coaching.plans.models import PlanStatus, SupportPlan
from coaching.visits.models import Visit, VisitStatus
from practices.models import CoachAssignment, Practice, Stage
from psp.tenancy.models import Sector

CHUNK = 200
AT_RISK_ROWS = 25  # rows of the at-risk table per section, so the renderer can cut between them
OPEN = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


# Which practices ----------------------------------------------------------------------------


def report_practices(*, sector="", region="", coach_id=None, stage="") -> QuerySet[Practice]:
    """The practices a program report covers, filtered."""
    queryset = Practice.objects.all()
    if sector:
        queryset = queryset.filter(sector=sector)
    if region:
        queryset = queryset.filter(region=region)
    if stage:
        queryset = queryset.filter(stage=stage)
    if coach_id:
        queryset = queryset.filter(
            pk__in=CoachAssignment.objects.filter(coach_id=coach_id).values("practice_id")
        )
    return queryset


def practice_chunks(practices: QuerySet[Practice], size: int = CHUNK):
    """`practices` by name, `size` at a time (keyset pagination: each chunk one query, however
    deep into the program), as lists of practices."""
    ordered = practices.order_by("name", "pk")
    last = None
    while True:
        page = ordered
        if last is not None:
            page = ordered.filter(Q(name__gt=last.name) | Q(name=last.name, pk__gt=last.pk))
        chunk = list(page[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1]


def regions() -> list[str]:
    """The regions practices of the program name, for the report's filter."""
    return list(
        Practice.objects.exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )


# Summaries -------------------------------------------------------------------------------------


def stage_counts(practices: QuerySet[Practice]) -> list[tuple[str, int]]:
    found = dict(practices.values_list("stage").annotate(n=Count("pk")).order_by())
    return [(label, found.get(value, 0)) for value, label in Stage.choices]


def logged_visits(practice_ids, period: tuple[date, date]) -> QuerySet[Visit]:
    return Visit.objects.filter(
        practice_id__in=practice_ids,
        status=VisitStatus.LOGGED,
        visit_date__gte=period[0],
        visit_date__lte=period[1],
    )


def dose_by_coach(visits: QuerySet[Visit]) -> list[DoseRow]:
    rows = (
        visits.values("coach_id", "coach__full_name", "coach__email")
        .annotate(**_SUMS)
        .order_by("coach__full_name", "coach__email")
    )
    return with_bars(
        [
            DoseRow(
                str(row["coach_id"] or ""),
                row["coach__full_name"] or row["coach__email"] or "No coach recorded",
                _dose(row),
            )
            for row in rows
        ]
    )


def dose_by_sector(visits: QuerySet[Visit]) -> list[DoseRow]:
    found = {
        row["practice__sector"]: _dose(row)
        for row in visits.values("practice__sector").annotate(**_SUMS).order_by()
    }
    return with_bars(
        [DoseRow(value, label, found[value]) for value, label in Sector.choices if value in found]
    )


@dataclass
class FeedbackFigures:
    responses: int
    usefulness: float | None  # average, 1 to 5
    comments: int
    nps: int | None

    @property
    def has_answers(self) -> bool:
        return self.responses > 0


def feedback_figures(visits: QuerySet[Visit]) -> FeedbackFigures:
    """Participant feedback on these visits. One query."""
    row = FeedbackResponse.objects.filter(visit__in=visits.values("pk")).aggregate(
        n=Count("pk"),
        useful=Avg("usefulness"),
        comments=Count("pk", filter=~Q(comment="")),
        promoters=Count("pk", filter=Q(would_recommend__gte=9)),
        detractors=Count("pk", filter=Q(would_recommend__lte=6)),
    )
    return FeedbackFigures(
        responses=row["n"],
        usefulness=round(row["useful"], 1) if row["useful"] is not None else None,
        comments=row["comments"],
        nps=net_promoter_score(row["promoters"], row["detractors"], row["n"]),
    )


def at_risk_chunks(practices: QuerySet[Practice], *, today: date, size: int = CHUNK):
    """The practices not on track, worst first, as lists of caseload entries (with their
    reasons) of AT_RISK_ROWS, read `size` at a time. The stored standings are brought up to
    date first (in chunks: coaching/caseload/standings.py)."""
    rules = caseload_rules()
    standings_catch_up(practices=practices, today=today, rules=rules)
    ids = (
        CaseloadStanding.objects.filter(practice__in=practices.values("pk"), computed_on=today)
        .exclude(status=CaseloadStatus.ON_TRACK)
        .order_by(*ORDER)
        .values_list("practice_id", flat=True)
    )
    offset = 0
    while True:
        chunk = list(ids[offset : offset + size])
        if not chunk:
            return
        position = {pk: index for index, pk in enumerate(chunk)}
        entries = entries_of(chunk, today=today, rules=rules)
        entries.sort(key=lambda entry: position[entry.practice.pk])
        for start in range(0, len(entries), AT_RISK_ROWS):
            yield entries[start : start + AT_RISK_ROWS]
        offset += size


# One chunk of practices ---------------------------------------------------------------------


@dataclass
class PracticeLine:
    entry: object  # the caseload entry: practice (with coach_list), status, reasons, next visit
    dose: Dose
    scores: tuple | None  # (first overall, latest overall, latest submitted at)
    usefulness: float | None


def practice_lines(chunk: list[Practice], *, period, today: date, rules) -> list[PracticeLine]:
    """The program report's block for each practice of the chunk, in the chunk's order. The same
    queries for a chunk of 2 or 200."""
    ids = [practice.pk for practice in chunk]
    entries = {e.practice.pk: e for e in entries_of(ids, today=today, rules=rules)}
    visits = logged_visits(ids, period)
    doses = {
        row["practice_id"]: _dose(row)
        for row in visits.values("practice_id").annotate(**_SUMS).order_by()
    }
    useful = dict(
        FeedbackResponse.objects.filter(visit__in=visits.values("pk"))
        .values_list("visit__practice_id")
        .annotate(avg=Avg("usefulness"))
        .order_by()
    )
    scores = overall_scores(practice_ids=ids)
    return [
        PracticeLine(
            entry=entries[pk],
            dose=doses.get(pk, Dose()),
            scores=scores.get(pk),
            usefulness=round(useful[pk], 1) if useful.get(pk) is not None else None,
        )
        for pk in ids
    ]


# One practice (the report card) ---------------------------------------------------------------


def current_plan(*, practice, today: date) -> SupportPlan | None:
    """The practice's active plan, or its latest accepted or drafted one, with goals and their
    actions. Three queries."""
    plans = SupportPlan.objects.filter(practice=practice).exclude(status=PlanStatus.DRAFT)
    plan = (
        plans.filter(status=PlanStatus.ACTIVE).order_by("-accepted_at", "-pk").first()
        or plans.order_by("-created_at", "-pk").first()
        or SupportPlan.objects.filter(practice=practice).order_by("-created_at", "-pk").first()
    )
    if plan is None:
        return None
    plan.goal_list = list(plan.goals.order_by("position", "pk"))
    actions = PlanAction.objects.filter(plan=plan).select_related("owner")
    by_goal: dict = {}
    for action in _mark_overdue(actions.order_by("goal_id", "position", "pk"), today):
        by_goal.setdefault(action.goal_id, []).append(action)
    for goal in plan.goal_list:
        goal.action_list = by_goal.get(goal.pk, [])
    plan.loose_actions = by_goal.get(None, [])
    return plan


def _mark_overdue(actions, today: date):
    for action in actions:
        action.is_overdue = bool(action.due_on and action.due_on < today and action.status in OPEN)
    return actions


def whats_next(*, practice, today: date) -> dict:
    """Planned visits from today, and actions overdue (open or in progress, due before today).
    Two queries."""
    planned = (
        Visit.objects.filter(practice=practice, status=VisitStatus.PLANNED, visit_date__gte=today)
        .select_related("coach")
        .order_by("visit_date", "start_time", "pk")[:10]
    )
    overdue = (
        PlanAction.objects.filter(practice=practice, status__in=OPEN, due_on__lt=today)
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    return {"planned": list(planned), "overdue": _mark_overdue(list(overdue), today)}


def visit_totals(visits: QuerySet[Visit]) -> Dose:
    return _dose(visits.aggregate(**_SUMS))
