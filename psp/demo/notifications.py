"""Demo data for every reminder rule, so each role has notifications on first login once the
scan runs: a planned visit tomorrow, an action due in three days and an overdue one owned by a
practice's lead, a practice that turned needs attention last week (the managers' weekly list),
an invitation still pending four days after it was sent, and a follow-up assessment due within
the week, and an action due in three days owned by a practice's staff member.

`record` (the step after the demo reports, psp/demo/seed.py) then records what the rules find,
as delivered already (no emails), so every role has unread notifications on first login.

The last of seed_demo's builders (psp/demo/seed.py): it reads what the others made, from the
database, so it also runs on its own after a seed (`demo_notifications_seed()`), in the
program's days ("tomorrow" is the program's tomorrow). Like the other builders it only adds what
is missing, with one exception: when no follow-up assessment is due within the week, the demo's
soonest one (due within two months) is
brought forward by moving its last round back a few days (every date of it, as psp/demo/
assessments.py itself back-dates rounds). It does not call the notifications app: the scan finds
what is due (psp/notifications/registry.py, each app's reminders.py).
"""

import secrets
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus, ConsensusAnswer, Response
from assessments.rounds.reminders import DUE_WITHIN_DAYS, follow_ups
from coaching.actions.history import step_lines
from coaching.actions.reminders import DUE_SOON_DAYS, IN_PLAY
from coaching.actions.selectors import OPEN_ACTION_STATUSES
from coaching.actions.services import action_add
from coaching.caseload.models import CaseloadStanding
from coaching.caseload.reminders import at_risk_turns, week_start
from coaching.caseload.rules import CaseloadStatus
from coaching.models import (
    ActionStatus,
    ActionStatusChange,
    PlanAction,
    PlanGoal,
    PlanStatus,
    Visit,
    VisitMode,
    VisitStatus,
)
from practices.models import CoachAssignment, Practice, PracticeMembership
from psp.accounts.models import Invitation, PracticeRole
from psp.accounts.reminders import REMIND_AFTER_DAYS
from psp.demo.common import DemoProgram
from psp.demo.programs import LEGAL, NORTHERN, PROGRAMS
from psp.demo.visits import NOTHING_PLANNED
from psp.history.models import ChangeRecord, SubjectType
from psp.notifications.services import notifications_scan, recorded_as_delivered
from psp.tenancy.models import Program, ProgramMembership, ProgramRole
from psp.tenancy.scope import program_scope

# Invitations sent four days ago, for a program whose demo has none pending that long.
PENDING = {
    NORTHERN: (
        "hana.kowalski@kenora-pediatrics.example.org",
        "Kenora Street Pediatrics",
        "Hana, please join so you can answer the practice's follow-up assessment.",
    ),
    LEGAL: (
        "ruth.ellison@harbourstreet-legal.example.org",
        "Harbour Street Legal Clinic",
        "Ruth, please join to see the clinic's support plan and your actions in it.",
    ),
}
# A staff member of each program's demo, with an action of their own due in three days.
STAFF = {
    NORTHERN: (
        "luc.tremblay@northshore-chc.example.org",
        "Ask two patients a week about the new booking options and note what they say",
    ),
    LEGAL: (
        "aaliyah.grant@chenpatel-defence.example.org",
        "Collect the intake team's comments on the new conflict-check checklist",
    ),
}
# The soonest follow-up, if due within FOLLOW_UP_WITHIN_DAYS, is brought forward to about this
# many days from today (a month's length may move it a day or three: still within the week).
FOLLOW_UP_IN_DAYS = 4
FOLLOW_UP_WITHIN_DAYS = 60


def build(demo: DemoProgram) -> None:
    today = demo.now.astimezone(demo.program.zone).date()
    coaches = _primary_coaches()
    leads = _leads()
    practices = [pk for pk in coaches if pk in leads]  # coached, with a lead who logs in
    if practices:
        _visit_tomorrow(demo, today, practices, coaches)
        _actions(demo, today, practices, coaches, leads)
        _staff_action(demo, today, coaches)
    if coaches:
        _turn_last_week(demo, today, coaches, leads)
    _invitation(demo)
    _follow_up(demo, today)


def record(demo: DemoProgram) -> None:
    """What every reminder rule finds today, recorded as the scan records it but as delivered
    already: unread in the app, no email now nor in a digest (the demo's addresses are
    examples, and a first seed must not print a hundred emails)."""
    with recorded_as_delivered():
        demo.created["notifications"] += notifications_scan(program=demo.program, now=demo.now)


def demo_notifications_seed(*, now: datetime | None = None) -> list[DemoProgram]:
    """This builder alone, over the demo programs that exist (after `seed_demo`)."""
    now = now or timezone.now()
    done = []
    with transaction.atomic():
        for program in Program.objects.filter(slug__in=[spec.slug for spec in PROGRAMS]):
            demo = DemoProgram(program=program, now=now, password_hash="")
            with program_scope(program):
                build(demo)
            done.append(demo)
    return done


def _primary_coaches() -> dict[int, object]:
    """practice id -> its primary coach, for the coached practices in name order (but for
    those whose story is that nothing is planned: psp/demo/visits.py)."""
    coaching = ProgramMembership.objects.filter(role=ProgramRole.COACH, is_active=True)
    assignments = CoachAssignment.objects.filter(coach_id__in=coaching.values("user_id")).exclude(
        practice__name__in=NOTHING_PLANNED
    )
    found = {}
    for assignment in assignments.order_by("practice__name", "-is_primary", "pk"):
        found.setdefault(assignment.practice_id, assignment.coach)
    return found


def _leads() -> dict[int, object]:
    memberships = PracticeMembership.objects.filter(
        role=PracticeRole.LEAD, is_active=True
    ).select_related("user")
    return {m.practice_id: m.user for m in memberships.order_by("practice__name", "pk")}


def _visit_tomorrow(demo, today: date, practices: list[int], coaches: dict) -> None:
    tomorrow = today + timedelta(days=1)
    if Visit.objects.filter(status=VisitStatus.PLANNED, visit_date=tomorrow).exists():
        return
    practice_id = practices[0]
    coach = coaches[practice_id]
    Visit.objects.create(
        program=demo.program,
        practice_id=practice_id,
        coach=coach,
        status=VisitStatus.PLANNED,
        visit_date=tomorrow,
        start_time=time(10),
        mode=VisitMode.ON_SITE,
        duration_minutes=90,
        purpose="Walk through the support plan's open actions with the team before the "
        "month's huddle",
        created_at=demo.now - timedelta(days=6),
        created_by=coach,
        updated_by=coach,
    )
    demo.created["planned visits tomorrow"] += 1


def _actions(demo, today: date, practices: list[int], coaches: dict, leads: dict) -> None:
    """An action due in three days and one overdue, owned by a practice lead, on a goal of the
    practice's active plan (through the plan service, so its history starts as any other)."""
    practice_people = ProgramMembership.objects.filter(role=ProgramRole.PRACTICE).values("user_id")
    mine = PlanAction.objects.filter(
        IN_PLAY, status__in=OPEN_ACTION_STATUSES, owner_id__in=practice_people
    )
    wanted = []
    if not mine.filter(due_on=today + timedelta(days=DUE_SOON_DAYS)).exists():
        wanted.append(("Send the draft booking template to the front desk for comments", 3))
    if not mine.filter(due_on__lt=today).exists():
        wanted.append(("Book the team's first monthly improvement huddle", -8))
    goals = PlanGoal.objects.filter(
        plan__status=PlanStatus.ACTIVE, plan__practice_id__in=practices
    ).order_by("plan__practice__name", "position", "pk")
    goal = goals.first()
    if goal is None:
        return
    for title, in_days in wanted:
        practice_id = goal.plan.practice_id
        _add_action(
            demo,
            goal=goal,
            by=coaches[practice_id],
            title=title,
            owner=leads[practice_id],
            due_on=today + timedelta(days=in_days),
        )
        demo.created["actions due for reminders"] += 1


def _add_action(demo, *, goal, by, title: str, owner, due_on: date) -> None:
    """Through the plan service; then, as psp/demo/actions.py writes every plan action's
    history, its creation step as a line of the action's own history."""
    action = action_add(
        program=demo.program, goal=goal, by=by, title=title, owner=owner, due_on=due_on
    )
    ChangeRecord.objects.bulk_create(step_lines(action.status_changes.all()))


def _staff_action(demo, today: date, coaches: dict) -> None:
    """The staff member's action due in three days, on a goal of their practice's active plan."""
    email, title = STAFF.get(demo.program.slug, ("", ""))
    membership = (
        PracticeMembership.objects.filter(user__email=email, is_active=True)
        .select_related("user")
        .first()
    )
    if membership is None or PlanAction.objects.filter(owner=membership.user, title=title).exists():
        return
    goal = (
        PlanGoal.objects.filter(
            plan__status=PlanStatus.ACTIVE, plan__practice_id=membership.practice_id
        )
        .order_by("position", "pk")
        .first()
    )
    coach = coaches.get(membership.practice_id)
    if goal is None or coach is None:
        return
    _add_action(
        demo,
        goal=goal,
        by=coach,
        title=title,
        owner=membership.user,
        due_on=today + timedelta(days=DUE_SOON_DAYS),
    )
    demo.created["actions due for reminders"] += 1


def _turn_last_week(demo, today: date, coaches: dict, leads: dict) -> None:
    """A practice that turned needs attention during the week before, for the managers' weekly
    list: an action agreed at a visit at least a week before, due last Tuesday and still open
    (with the default rules one overdue action is enough), owned by its lead or else its coach.
    The practice is an on-track one, the most recently visited, but never the one with the
    longest history of visits, which stays the demo's steady practice."""
    this_week = week_start(today)
    last_week = this_week - timedelta(days=7)
    if any(last_week <= turn.since < this_week for turn in at_risk_turns(today=today)):
        return
    due_on = last_week + timedelta(days=1)
    on_track = CaseloadStanding.objects.filter(
        computed_on=today, status=CaseloadStatus.ON_TRACK, practice_id__in=list(coaches)
    ).values("practice_id")
    counts = dict(
        Visit.objects.filter(status=VisitStatus.LOGGED, practice_id__in=on_track)
        .values_list("practice_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    if len(counts) < 2:
        return
    # The on-track practice with the longest history stays the demo's steady one.
    steady = max(counts, key=lambda pk: (counts[pk], -pk))
    visit = (
        Visit.objects.filter(
            status=VisitStatus.LOGGED,
            practice_id__in=[pk for pk in counts if pk != steady],
            visit_date__lt=due_on - timedelta(days=7),
        )
        .order_by("-visit_date", "pk")
        .first()
    )
    if visit is None:
        return
    practice_id = visit.practice_id
    coach = visit.coach or coaches[practice_id]
    agreed_at = timezone.make_aware(datetime.combine(visit.visit_date, time(16)), demo.program.zone)
    action = PlanAction.objects.create(
        program=demo.program,
        practice_id=practice_id,
        visit=visit,
        title="Send the updated privacy notice to every member of the team",
        owner=leads.get(practice_id) or coach,
        due_on=due_on,
        created_at=agreed_at,
        created_by=coach,
    )
    step = ActionStatusChange.objects.create(
        program=demo.program,
        action=action,
        from_status="",
        to_status=ActionStatus.OPEN,
        changed_at=agreed_at,
        changed_by=coach,
    )
    ChangeRecord.objects.bulk_create(step_lines([step]))
    demo.created["practices turned at risk last week"] += 1


def _invitation(demo) -> None:
    sent_before = demo.now - timedelta(days=REMIND_AFTER_DAYS)
    pending = Invitation.objects.filter(
        sent_at__lte=sent_before,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        reminded_at__isnull=True,
        expires_at__gt=demo.now,
    )
    spec = PENDING.get(demo.program.slug)
    if spec is None or pending.exists():
        return
    email, practice_name, message = spec
    if Invitation.objects.filter(email=email).exists():
        return
    practice = Practice.objects.filter(name=practice_name).first()
    admin = ProgramMembership.objects.filter(role=ProgramRole.ADMIN).select_related("user")
    sent_at = demo.now - timedelta(days=REMIND_AFTER_DAYS + 1)
    Invitation.objects.create(
        program=demo.program,
        email=email,
        role=ProgramRole.PRACTICE if practice else ProgramRole.COACH,
        practice=practice,
        practice_role=PracticeRole.STAFF if practice else "",
        message=message,
        # Nobody holds the link: only its hash is stored, and the reminder issues a fresh one.
        token_hash=Invitation.hash_token(secrets.token_urlsafe(32)),
        invited_by=admin.first().user if admin.exists() else None,
        expires_at=sent_at + timedelta(days=settings.PSP_INVITATION_DAYS),
        sent_at=sent_at,
    )
    demo.created["invitations waiting for a reminder"] += 1


def _follow_up(demo, today: date) -> None:
    zone = demo.program.zone
    if follow_ups(zone=zone, until=today + timedelta(days=DUE_WITHIN_DAYS)):
        return
    upcoming = follow_ups(zone=zone, until=today + timedelta(days=FOLLOW_UP_WITHIN_DAYS))
    if not upcoming:
        return
    soonest = min(upcoming, key=lambda follow_up: (follow_up.due_on, follow_up.practice_id))
    shift = soonest.due_on - (today + timedelta(days=FOLLOW_UP_IN_DAYS))
    last = (
        Assessment.objects.filter(
            practice_id=soonest.practice_id,
            version__instrument_id=soonest.instrument_id,
            status=AssessmentStatus.SUBMITTED,
        )
        .order_by("-submitted_at", "-pk")
        .first()
    )
    _move_round_back(last.pk, shift)
    demo.created["follow-up assessments due"] += 1


def _move_round_back(assessment_id: int, shift: timedelta) -> None:
    """Every date of the round earlier by `shift`: its opening and submission, its people's
    answers and the consensus, and its history lines, so the round's story stays in order."""
    Assessment.objects.filter(pk=assessment_id).update(
        opened_at=F("opened_at") - shift, submitted_at=F("submitted_at") - shift
    )
    Response.objects.filter(assessment_id=assessment_id).update(
        started_at=F("started_at") - shift, submitted_at=F("submitted_at") - shift
    )
    ConsensusAnswer.objects.filter(assessment_id=assessment_id).update(
        decided_at=F("decided_at") - shift
    )
    ChangeRecord.objects.filter(
        subject_type=SubjectType.ASSESSMENT, subject_id=assessment_id
    ).update(changed_at=F("changed_at") - shift)
