"""Demo action follow-up: the dated status history of the plans' actions, and the actions agreed
at visits (a practice person or the coach owns each, with a due date) in every status. Each step
of a status history has its line in the action's change history (coaching/actions/history.py).

The plan services record each status change as happening now; the plans of psp/demo/plans.py are
back-dated, so their actions' history is written here again with the dates the plans story gives
(drafted, then started, done or dropped), by whoever did each step.

Actions agreed at a visit are due a week to a month later. Those due by now were mostly done (some
dropped, with the reason); those agreed at a practice's last visit are under way or not yet
started. Caseload stories (default rules: needs attention at 1 overdue action, stalled at 5): at
two practices the team is short-staffed and what was agreed sits overdue; the practices that
stopped seeing their coach leave their last visit's actions open. Elsewhere nothing agreed at a
visit is overdue, and the showcase practice finished one of its plan's actions at its last visit,
so it is on track.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from coaching.actions.history import step_lines
from coaching.models import (
    ActionStatus,
    ActionStatusChange,
    GoalStatus,
    PlanAction,
    PlanStatus,
    SupportPlan,
)
from practices.models import CoachAssignment
from psp.demo.common import DemoProgram
from psp.demo.visits import LAST_VISIT_DAYS_AGO, LoggedVisit
from psp.history.models import ChangeRecord, SubjectType
from psp.tenancy.models import ProgramMembership, ProgramRole, Sector

OPEN, IN_PROGRESS, DONE, DROPPED = (
    ActionStatus.OPEN,
    ActionStatus.IN_PROGRESS,
    ActionStatus.DONE,
    ActionStatus.DROPPED,
)
STILL_OPEN = (OPEN, IN_PROGRESS)

# Short-staffed: the actions agreed at their visits pile up overdue (stalled at 5 by default).
PILE_UP = {"Harbourview Seniors' Health Clinic", "Anishinaabe Wellness Centre"}
PILE_UP_TO = 6
# The showcase practice: an action for a goal of its plan, agreed at its last visit, is already
# done (so the plan shows progress and the practice is on track).
SHOWCASE = {
    "Riverside Family Health Team": (
        "Agree the recall list for overdue diabetes check-ups",
        "Done: the team agreed the list at Tuesday's huddle.",
    ),
}

TITLES = {
    Sector.PRIMARY_CARE: {
        "early": (
            "Send the assessment link to the nurses who missed the meeting",
            "Pull last month's appointment counts for the baseline",
            "Book the physicians' meeting to agree the plan",
            "Ask the front desk to log unmet same-day requests for two weeks",
            "Share the draft plan with the nursing team",
        ),
        "middle": (
            "Set up the pilot booking template for the two pilot physicians",
            "Book the EHR trainer for the front desk",
            "Print the booking-rules cheat sheet for each desk",
            "Add the recall reminder to the diabetes registry search",
            "Count no-shows for the pilot panel each week",
            "Update the after-hours voicemail message",
        ),
        "late": (
            "Send the monthly access report to the physicians",
            "Clean up duplicate entries in the diabetes registry",
            "Add patient-experience comments to the huddle board",
            "Check the third-next-available count every Monday",
            "Review the phone tree with the office manager",
        ),
    },
    Sector.LAW: {
        "early": (
            "Send the self-assessment to the law clerks",
            "Count last quarter's intake errors for the baseline",
            "Book the partners' meeting to agree the plan",
            "List the files with no activity in 90 days",
            "Share the draft plan with the staff",
        ),
        "middle": (
            "Set up the one-page intake checklist in the system",
            "Book the practice-management system trainer",
            "Draft the engagement-letter template",
            "Run the conflict-check report on all new files",
            "Write down the month-end trust reconciliation steps",
            "Set up file-closing reminders",
        ),
        "late": (
            "Send the monthly file-closure report to the partners",
            "Reconcile the trust ledger before the 25th",
            "Add the 2-day reply rule to the client-service checklist",
            "Review the files with no activity in 60 days",
            "Check the complaint log at the staff meeting",
        ),
    },
}
STAGE_GROUP = {
    "needs_assessment": "early",
    "program_design": "early",
    "stakeholder_engagement": "early",
    "pilot": "middle",
    "training": "middle",
    "monitoring": "late",
    "sustainability": "late",
}
DONE_NOTES = (
    "Done; shared at the team huddle.",
    "Done and saved on the shared drive.",
    "Finished a week early.",
    "",
    "",
    "",
)
DROP_REASONS = {
    Sector.PRIMARY_CARE: (
        "Not needed: the EHR vendor's update does this now.",
        "The team chose another approach at the huddle.",
        "The owner went on leave; folded into the plan's action instead.",
    ),
    Sector.LAW: (
        "Not needed: the new practice-management system does this.",
        "The partners chose another approach.",
        "The owner left the firm; folded into another action.",
    ),
}


def build(demo: DemoProgram) -> None:
    team = set(
        ProgramMembership.objects.exclude(role=ProgramRole.PRACTICE).values_list(
            "user_id", flat=True
        )
    )
    _plan_history(demo, team)
    if demo.visits:
        _visit_actions(demo, team)


# The plans' actions: their history, dated ----------------------------------------------------


def _plan_history(demo: DemoProgram, team: set) -> None:
    """Write the history of every plan action that has none from before this run: its drafting,
    then the steps to its status, on the dates the plan's story gave it."""
    rng = random.Random(f"history:{demo.program.slug}")
    coaches = _primary_coaches()
    actions = (
        PlanAction.objects.filter(visit__isnull=True, plan__isnull=False)
        .select_related("plan")
        .prefetch_related("status_changes")
        .order_by("plan__created_at", "plan_id", "goal__position", "position", "pk")
    )
    rewritten, steps = [], []
    for action in actions:
        changes = list(action.status_changes.all())
        if any(change.changed_at < demo.now for change in changes):
            continue  # a history from before this run: leave it as it is
        rewritten.append(action.pk)
        coach = action.plan.created_by or coaches.get(action.practice_id)
        started = max(action.created_at, action.plan.accepted_at or action.created_at)
        steps.extend(_steps(demo, action, coach, team, rng, started, action.updated_at))
    if not rewritten:
        return
    # What the services just wrote, stamped now, is replaced by the dated story: the steps and
    # their lines in the actions' change history.
    for chunk in _chunks(rewritten, 500):
        ActionStatusChange.objects.filter(action_id__in=chunk, changed_at__gte=demo.now).delete()
        ChangeRecord.objects.filter(
            subject_type=SubjectType.ACTION, subject_id__in=chunk, changed_at__gte=demo.now
        ).delete()
    ActionStatusChange.objects.bulk_create(steps, batch_size=1000)
    ChangeRecord.objects.bulk_create(step_lines(steps), batch_size=1000)
    demo.created["action history steps"] += len(steps)


def _primary_coaches() -> dict:
    return {
        assignment.practice_id: assignment.coach
        for assignment in CoachAssignment.objects.filter(is_primary=True).select_related("coach")
    }


def _steps(demo, action: PlanAction, coach, team, rng, started: datetime, moved_at: datetime):
    """An action's history: created open, then (for one that moved) the steps to its status.
    `moved_at` is when it reached an in-progress or dropped status; a done one was done at
    `completed_at`, and sometimes was in progress first."""
    doer = action.owner if action.owner_id and action.owner_id not in team else coach
    first = ActionStatusChange(
        program=demo.program,
        action=action,
        from_status="",
        to_status=OPEN,
        changed_at=action.created_at,
        changed_by=action.created_by or coach,
    )
    steps = [first]
    status = action.status
    if status == OPEN:
        return steps
    if status == DONE:
        finished = action.completed_at or moved_at
        if rng.random() < 0.6 and finished - started > timedelta(days=2):
            midway = started + (finished - started) * rng.uniform(0.2, 0.7)
            steps.append(_step(demo, action, OPEN, IN_PROGRESS, midway, doer))
        steps.append(
            _step(demo, action, steps[-1].to_status, DONE, finished, doer, action.status_note)
        )
        return steps
    moved_at = max(moved_at, started)
    if status == DROPPED:
        steps.append(_step(demo, action, OPEN, DROPPED, moved_at, coach, action.status_note))
    else:
        steps.append(_step(demo, action, OPEN, status, moved_at, doer))
    return steps


def _step(demo, action, from_status, to_status, when, by, note="") -> ActionStatusChange:
    return ActionStatusChange(
        program=demo.program,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        changed_at=when,
        changed_by=by,
    )


# Actions agreed at visits -------------------------------------------------------------------


def _visit_actions(demo: DemoProgram, team: set) -> None:
    agreed = _Agreed(demo)
    by_practice: dict[int, list[LoggedVisit]] = {}
    for entry in demo.visits:
        by_practice.setdefault(entry.visit.practice_id, []).append(entry)
    actions: list[PlanAction] = []
    for entries in by_practice.values():
        entries.sort(key=lambda entry: entry.visit.visit_date)
        made = []
        for entry in entries:
            if entry.is_last:
                made.extend(agreed.at_last_visit(entry))
            elif agreed.rng.random() < 0.3:
                made.extend(agreed.at_visit(entry, count=agreed.rng.choice((1, 1, 2))))
        if entries[0].visit.practice.name in PILE_UP:
            made.extend(agreed.piled_up(entries, made))
        actions.extend(made)
    agreed.ensure_dropped(actions)
    PlanAction.objects.bulk_create(actions, batch_size=500)
    for action in actions:  # bulk_create stamps `updated_at` with now
        action.updated_at = action.completed_at or action.moved_at or action.created_at
    PlanAction.objects.bulk_update(actions, ["updated_at"], batch_size=500)
    steps = []
    for action in actions:
        moved_at = action.moved_at or action.created_at
        steps.extend(
            _steps(demo, action, action.created_by, team, agreed.rng, action.created_at, moved_at)
        )
    ActionStatusChange.objects.bulk_create(steps, batch_size=1000)
    ChangeRecord.objects.bulk_create(step_lines(steps), batch_size=1000)
    demo.created["actions agreed at visits"] += len(actions)
    demo.created["action history steps"] += len(steps)


class _Agreed:
    """Makes the actions agreed at one program's visits, each as far along as the time since
    the visit allows."""

    def __init__(self, demo: DemoProgram):
        self.demo = demo
        self.now = demo.now
        self.today = timezone.localdate(demo.now)
        self.rng = random.Random(f"visit-actions:{demo.program.slug}")
        self.goals = _active_plan_goals()

    def at_visit(self, entry: LoggedVisit, *, count: int) -> list[PlanAction]:
        """Actions agreed at a past visit, due one to four weeks after it: done or dropped once
        due, under way or not yet started before. One agreed at an older visit sometimes served
        one of the goals the visit worked on."""
        visit, rng = entry.visit, self.rng
        made = []
        for position in range(count):
            action = self._new(entry, position)
            action.due_on = visit.visit_date + timedelta(days=rng.choice((7, 14, 21, 28)))
            if entry.goals and rng.random() < 0.4 and (self.today - visit.visit_date).days > 120:
                goal = rng.choice(entry.goals)
                action.goal, action.plan_id = goal, goal.plan_id
            if action.due_on < self.today and rng.random() < 0.85:
                self._done(action)
            elif action.due_on < self.today:
                self._drop(action)
            elif rng.random() < 0.45:
                action.status = IN_PROGRESS
                started = visit.visit_date + timedelta(days=rng.randint(1, 5))
                action.moved_at = self._moment(visit, started)
            made.append(action)
        return made

    def at_last_visit(self, entry: LoggedVisit) -> list[PlanAction]:
        """At a practice's last visit: one action not started yet and one under way, due in the
        coming weeks; a practice that stopped seeing its coach left them open, now overdue. At
        the showcase practice the team has already done one, for a goal of its plan."""
        visit, rng = entry.visit, self.rng
        practice = visit.practice
        made = []
        for position, status in enumerate((OPEN, IN_PROGRESS)):
            action = self._new(entry, position)
            if practice.name in LAST_VISIT_DAYS_AGO:
                action.due_on = visit.visit_date + timedelta(days=rng.choice((14, 21, 28)))
            else:
                action.due_on = self.today + timedelta(days=rng.randint(3, 21))
            action.status = status
            if status == IN_PROGRESS:
                action.moved_at = self._moment(visit, visit.visit_date + timedelta(days=1))
            made.append(action)
        goals = self.goals.get(practice.pk)
        if practice.name in SHOWCASE and goals and visit.visit_date < self.today:
            action = self._new(entry, len(made))
            action.title, action.status_note = SHOWCASE[practice.name]
            action.goal, action.plan_id = goals[0], goals[0].plan_id
            action.due_on = self.today + timedelta(days=14)
            action.status = DONE
            action.completed_at = self._moment(visit, visit.visit_date + timedelta(days=2))
            made.append(action)
        return made

    def piled_up(self, entries: list[LoggedVisit], made: list[PlanAction]) -> list[PlanAction]:
        """Open actions from the last few months' visits, now overdue: enough, with what the
        practice's plan already has overdue, to stall it."""
        practice_id, today, rng = entries[0].visit.practice_id, self.today, self.rng
        live = Q(plan__isnull=True) | Q(plan__status=PlanStatus.ACTIVE)
        overdue = PlanAction.objects.filter(
            live, practice_id=practice_id, status__in=STILL_OPEN, due_on__lt=today
        ).count()
        overdue += sum(1 for a in made if a.status in STILL_OPEN and a.due_on < today)
        recent = [e for e in entries if 35 <= (today - e.visit.visit_date).days <= 150]
        recent = recent or entries[:1]
        piled = []
        for number in range(max(0, PILE_UP_TO - overdue)):
            entry = recent[number % len(recent)]
            visit = entry.visit
            action = self._new(entry, 10 + number)
            due = visit.visit_date + timedelta(days=rng.choice((14, 21, 28)))
            action.due_on = min(due, today - timedelta(days=3))
            if rng.random() < 0.4:
                action.status = IN_PROGRESS
                action.moved_at = self._moment(visit, visit.visit_date + timedelta(days=3))
            piled.append(action)
        return piled

    def ensure_dropped(self, actions: list[PlanAction]) -> None:
        """At least one action agreed at a visit was dropped, with its reason (so the follow-up
        lists show every status whatever the random draw)."""
        if any(action.status == DROPPED for action in actions):
            return
        done = [action for action in actions if action.status == DONE and action.goal_id is None]
        if done:
            done[0].completed_at = None
            self._drop(done[0])

    def _new(self, entry: LoggedVisit, position: int) -> PlanAction:
        visit, rng = entry.visit, self.rng
        practice = visit.practice
        sector = practice.sector if practice.sector in TITLES else Sector.PRIMARY_CARE
        people = entry.attendees
        action = PlanAction(
            program=self.demo.program,
            practice=practice,
            visit=visit,
            title=rng.choice(TITLES[sector][STAGE_GROUP.get(entry.stage, "middle")]),
            owner=rng.choice(people) if people and rng.random() < 0.8 else visit.coach,
            status=OPEN,
            position=position,
            created_at=visit.logged_at,
            created_by=visit.coach,
        )
        action.moved_at = None  # when it reached its in-progress or dropped status
        return action

    def _done(self, action: PlanAction) -> None:
        visit = action.visit
        latest = min(action.due_on + timedelta(days=3), self.today - timedelta(days=1))
        span = max(1, (latest - visit.visit_date).days)
        day = min(visit.visit_date + timedelta(days=self.rng.randint(1, span)), latest)
        action.status = DONE
        action.completed_at = self._moment(visit, day)
        action.status_note = self.rng.choice(DONE_NOTES)

    def _drop(self, action: PlanAction) -> None:
        visit = action.visit
        sector = visit.practice.sector
        reasons = DROP_REASONS.get(sector, DROP_REASONS[Sector.PRIMARY_CARE])
        day = action.due_on + timedelta(days=self.rng.randint(0, 10))
        action.status = DROPPED
        action.status_note = self.rng.choice(reasons)
        action.moved_at = self._moment(visit, min(day, self.today - timedelta(days=1)))

    def _moment(self, visit, day: date) -> datetime:
        """Some time in the working day of `day`: never before the visit was logged, nor later
        than now."""
        clock = time(self.rng.randint(9, 16), self.rng.choice((0, 15, 30, 45)))
        moment = timezone.make_aware(datetime.combine(min(day, self.today), clock))
        return min(max(moment, visit.logged_at + timedelta(minutes=30)), self.now)


def _active_plan_goals() -> dict:
    """practice id -> the goals of its active plan, open ones first."""
    goals = {}
    plans = SupportPlan.objects.filter(status=PlanStatus.ACTIVE).prefetch_related("goals")
    for plan in plans.order_by("accepted_at", "pk"):
        goals[plan.practice_id] = sorted(
            plan.goals.all(),
            key=lambda goal: (goal.status != GoalStatus.OPEN, goal.position, goal.pk),
        )
    return goals


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
