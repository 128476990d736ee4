"""Reads for caseloads: each practice's facts gathered in bulk, its status from the program's
rules (coaching/caseload/rules.py), and coach workload.

A caseload costs the same queries for 3 practices or 3,000: the practices (with their coaches),
then grouped queries per kind of fact (logged visits, next planned visits, open actions, the
active plans with their goals, actions and action history: coaching/caseload/facts.py; and
follow-up assessments) over the same practices, then the program's rules. Statuses come from the
facts in Python, so filtering and sorting by status happen after the queries: right for a
coach's few dozen practices. The program-wide caseload (thousands of practices) is read from
stored standings instead, and only its page is built here: see coaching/caseload/standings.py.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from assessments.rounds.selectors import FollowUpDue, next_assessments_due
from coaching.caseload.dose import Dose, month_start, quarter_start
from coaching.caseload.facts import action_facts, active_plans, next_planned_visits, visit_facts
from coaching.caseload.models import CaseloadRules
from coaching.caseload.rules import (
    STATUS_ORDER,
    PracticeFacts,
    Verdict,
    caseload_status,
    days_without_visit,
)
from coaching.dose.models import DoseCoachMonth
from coaching.plans.models import SupportPlan
from coaching.plans.selectors import Progress
from coaching.visits.models import Visit, VisitStatus
from practices import derived
from practices.models import CoachAssignment, Practice
from psp.tenancy.models import ProgramMembership, ProgramRole
from psp.tenancy.permissions import Capability, Reach

VIEW = Capability.CASELOAD_VIEW
VISITS = Capability.VISIT_VIEW


# The rules ----------------------------------------------------------------------------------


def caseload_rules() -> CaseloadRules:
    """The program's rules, or the defaults (an unsaved row) until an admin saves them."""
    return CaseloadRules.objects.select_related("updated_by").first() or CaseloadRules()


# One practice's line in a caseload ------------------------------------------------------------


@dataclass
class CaseloadEntry:
    practice: Practice  # with `coach_list` (its coach assignments, coaches joined)
    facts: PracticeFacts
    verdict: Verdict
    next_visit: Visit | None
    open_actions: int
    plan: SupportPlan | None  # the active plan
    progress: Progress | None
    follow_up: FollowUpDue | None
    visits_this_month: int
    minutes_this_month: int
    days_without_visit: int | None

    @property
    def status(self) -> str:
        return self.verdict.status

    @property
    def status_label(self) -> str:
        return self.verdict.status_label

    @property
    def coaches(self) -> list:
        return [assignment.coach for assignment in self.practice.coach_list]

    @property
    def last_visit_on(self) -> date | None:
        return self.facts.last_visit_on

    @property
    def overdue_actions(self) -> int:
        return self.facts.overdue_actions

    @property
    def last_progress_on(self) -> date | None:
        return self.facts.last_progress_on

    @property
    def sort_key(self) -> tuple:
        # Worst status first; within a status, longest without a visit first.
        return (self.verdict.rank, -(self.days_without_visit or 0), self.practice.name.lower())


class StatusCounts:
    """`counts` (status -> practices) as the page shows them."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def status_counts(self) -> list[dict]:
        return [
            {"status": s.value, "label": s.label, "count": self.counts.get(s.value, 0)}
            for s in STATUS_ORDER
        ]


@dataclass
class Caseload(StatusCounts):
    entries: list[CaseloadEntry]  # after the status filter, worst first
    counts: dict[str, int]  # status -> practices, before the status filter
    rules: CaseloadRules
    today: date


def caseload_practices(*, access, coach_id=None, stage=None, sector=None) -> QuerySet[Practice]:
    """The practices a caseload covers: those the person's CASELOAD_VIEW reaches, filtered.
    No joins: callers add what they show."""
    queryset = Practice.objects.filter(access.practice_filter(VIEW))
    if coach_id:
        queryset = queryset.filter(
            pk__in=CoachAssignment.objects.filter(coach_id=coach_id).values("practice_id")
        )
    if stage:
        queryset = queryset.filter(stage=stage)
    if sector:
        queryset = queryset.filter(sector=sector)
    return queryset


def caseload(
    *,
    access,
    coach_id=None,
    stage=None,
    sector=None,
    status=None,
    today: date | None = None,
) -> Caseload:
    """The caseload over the practices the person may see (a coach: their own), each with its
    facts and status, worst first; `counts` per status ignore the status filter. Eleven queries
    whatever the number of practices, visits and actions."""
    today = today or timezone.localdate()
    base = caseload_practices(access=access, coach_id=coach_id, stage=stage, sector=sector)
    practices = list(with_coaches(base).order_by("name", "pk"))
    rules = caseload_rules()
    entries = build_entries(practices, ids=base.values("pk"), today=today, rules=rules)
    counts = {s.value: 0 for s in STATUS_ORDER}
    for entry in entries:
        counts[entry.status] += 1
    if status:
        entries = [entry for entry in entries if entry.status == status]
    return Caseload(entries=entries, counts=counts, rules=rules, today=today)


def with_coaches(practices: QuerySet[Practice]) -> QuerySet[Practice]:
    """What a caseload line shows of its practice: the practice with `coach_list` (its coach
    assignments, primary first, coaches joined)."""
    return practices.prefetch_related(
        Prefetch(
            "coach_assignments",
            queryset=CoachAssignment.objects.select_related("coach").order_by(
                "-is_primary", "coach__full_name", "pk"
            ),
            to_attr="coach_list",
        )
    )


def entries_of(
    practice_ids, *, today: date, rules, with_next_visit: bool = True
) -> list[CaseloadEntry]:
    """The caseload lines of these practices (a list of ids), worst first."""
    chosen = Practice.objects.filter(pk__in=practice_ids)
    return build_entries(
        list(with_coaches(chosen)),
        ids=chosen.values("pk"),
        today=today,
        rules=rules,
        with_next_visit=with_next_visit,
    )


def build_entries(
    practices: list[Practice], *, ids, today: date, rules, with_next_visit: bool = True
) -> list[CaseloadEntry]:
    """Facts and statuses for `practices` (already loaded, with `coach_list`); `ids` is a
    subquery of their primary keys, so each grouped query stays one query. The next planned
    visit is shown, never judged: `with_next_visit=False` leaves it out (the stored
    standings, where looking it up for a whole program cost more than every fact together)."""
    visits = visit_facts(ids, today)
    next_visits = next_planned_visits(ids, today) if with_next_visit else {}
    actions = action_facts(ids, today)
    plans = active_plans(ids)
    follow_ups = next_assessments_due(practice_ids=[p.pk for p in practices])
    entries = []
    for practice in practices:
        seen = visits.get(practice.pk, {})
        acts = actions.get(practice.pk, {})
        plan = plans.get(practice.pk)
        follow_up = follow_ups.get(practice.pk)
        facts = PracticeFacts(
            last_visit_on=seen.get("last"),
            counted_from=_counted_from(practice),
            overdue_actions=acts.get("overdue", 0),
            oldest_overdue_on=acts.get("oldest"),
            has_active_plan=plan is not None,
            last_progress_on=_last_progress(plan),
            plan_complete=_plan_complete(plan),
            follow_up_due_on=follow_up.due_on if follow_up else None,
            follow_up_instrument=follow_up.instrument_name if follow_up else "",
        )
        entry = CaseloadEntry(
            practice=practice,
            facts=facts,
            verdict=caseload_status(facts, rules, today=today),
            next_visit=next_visits.get(practice.pk),
            open_actions=acts.get("open", 0),
            plan=plan,
            progress=_progress(plan),
            follow_up=follow_up,
            visits_this_month=seen.get("month_visits") or 0,
            minutes_this_month=seen.get("month_minutes") or 0,
            days_without_visit=days_without_visit(facts, today),
        )
        entries.append(entry)
    entries.sort(key=lambda entry: entry.sort_key)
    return entries


def _counted_from(practice: Practice) -> date:
    """Where "days without a visit" starts for a practice never visited: its first coach's
    assignment, or its enrolment if that came later (or no coach is assigned)."""
    assigned = [timezone.localdate(a.assigned_at) for a in practice.coach_list]
    if assigned:
        return max(min(assigned), practice.enrolled_on)
    return practice.enrolled_on


def _last_progress(plan: SupportPlan | None) -> date | None:
    if plan is None:
        return None
    moments = [
        moment
        for moment in (plan.accepted_at, plan.last_done_at, plan.last_done_change_at)
        if moment is not None
    ]
    if not moments:
        return timezone.localdate(plan.created_at)
    return timezone.localdate(max(moments))


def _plan_complete(plan: SupportPlan | None) -> bool:
    """Every goal achieved, or every action done (dropped ones aside): nothing left to do."""
    if plan is None:
        return False
    goals_done = plan.n_goals > 0 and plan.n_goals_achieved >= plan.n_goals
    actions_done = plan.n_actions > 0 and plan.n_actions_done >= plan.n_actions
    return goals_done or actions_done


def _progress(plan: SupportPlan | None) -> Progress | None:
    if plan is None:
        return None
    return Progress(plan.n_goals_achieved, plan.n_goals, plan.n_actions_done, plan.n_actions)


# Coach workload -----------------------------------------------------------------------------


@dataclass
class CoachWorkload:
    coach: object
    practices: int
    month: Dose
    quarter: Dose


def _workload_sums(access, today: date):
    """Per coach, visits, minutes and travel this quarter (`q_`) and this month (`m_`)."""
    month, quarter = month_start(today), quarter_start(today)
    if Reach.PROGRAM in access.reaches(VISITS):
        # Every practice: the coaches' monthly rollup (a few rows per coach), not the visits.
        derived.flush_pending()  # this transaction's visits summed in first
        in_month = Q(month=month)
        sums = {"visits": Sum("visits"), "minutes": Sum("minutes"), "travel": Sum("travel")}
        rows = DoseCoachMonth.objects.filter(month__gte=quarter, month__lte=today).exclude(
            coach=None
        )
    else:
        in_month = Q(visit_date__gte=month)
        sums = {
            "visits": Count("pk"),
            "minutes": Sum("duration_minutes"),
            "travel": Sum("travel_minutes"),
        }
        rows = Visit.objects.filter(
            access.practice_filter(VISITS, "practice_id"),
            status=VisitStatus.LOGGED,
            visit_date__gte=quarter,
            visit_date__lte=today,
        ).exclude(coach=None)
    rows = (
        rows.values("coach_id")
        .annotate(
            **{f"q_{name}": total for name, total in sums.items()},
            **{f"m_{name}": _within(total, in_month) for name, total in sums.items()},
        )
        .order_by()
    )
    return rows


def coach_workload(*, access, today: date | None = None) -> list[CoachWorkload]:
    """Per coach: the practices assigned (within the person's reach) and their logged visits,
    visit minutes and travel minutes this month and this quarter (whole months: from the
    coaches' rollup when the person sees every practice). Three queries."""
    today = today or timezone.localdate()
    visits = {row["coach_id"]: row for row in _workload_sums(access, today)}
    assigned = dict(
        CoachAssignment.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .values_list("coach_id")
        .annotate(n=Count("practice_id", distinct=True))
        .order_by()
    )
    coach_roles = ProgramMembership.objects.filter(role=ProgramRole.COACH, is_active=True)
    people = (
        get_user_model()
        .objects.filter(
            Q(pk__in=coach_roles.values("user_id")) | Q(pk__in=[*visits, *assigned]),
        )
        .order_by("full_name", "email")
    )
    workload = []
    for person in people:
        row = visits.get(person.pk, {})
        workload.append(
            CoachWorkload(
                coach=person,
                practices=assigned.get(person.pk, 0),
                month=Dose(
                    row.get("m_visits") or 0, row.get("m_minutes") or 0, row.get("m_travel") or 0
                ),
                quarter=Dose(
                    row.get("q_visits") or 0, row.get("q_minutes") or 0, row.get("q_travel") or 0
                ),
            )
        )
    return workload


def _within(total, condition: Q):
    """The same aggregate over the rows matching `condition`."""
    return type(total)(*total.source_expressions, filter=condition)


def caseload_coach_choices() -> QuerySet:
    """People who coach in the program (for the coach filters), by name."""
    coach_roles = ProgramMembership.objects.filter(role=ProgramRole.COACH, is_active=True)
    return (
        get_user_model()
        .objects.filter(pk__in=coach_roles.values("user_id"))
        .order_by("full_name", "email")
    )


def status_choices() -> list[tuple[str, str]]:
    return [(s.value, s.label) for s in STATUS_ORDER]
