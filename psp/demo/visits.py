"""Demo facilitation visits: up to two years of logged visits for every coached practice, planned
visits in the coming weeks, a few cancelled ones, and a couple of visits edited after their day.

Each practice is visited every two to five weeks (more often while its needs are being assessed)
from its coach's assignment, or from two years ago, to a few days ago; the dates are walked back
from the last visit, so each practice's story sets when that was. Minutes by activity follow the
stage the practice was in on the day (assessment and planning early on, training in training,
data review once monitoring), attendees are the practice's own people, and a visit after the
active plan's acceptance works on that plan's goals.

Caseload stories (with the default rules: attention after 45 days without a visit, stalled after
90): the stalled plans of psp/demo/plans.py have no visit since about when they stalled, and the
legal aid office lost touch when it moved into monitoring. Overdue actions are in
psp/demo/actions.py.

Rows are written with bulk_create, hundreds per program, so seeding stays quick; the random
generator is seeded with the practice's name and every date is relative to today.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from coaching.models import (
    Activity,
    SupportPlan,
    Visit,
    VisitActivity,
    VisitAttendee,
    VisitGoal,
    VisitMode,
    VisitStatus,
)
from coaching.visits.history import edit_changes, edit_summary
from coaching.visits.selectors import visit_snapshot
from practices.models import CoachAssignment, Practice, PracticeMembership, Stage, StageChange
from psp.demo.common import DemoProgram
from psp.demo.practices import PRACTICES
from psp.history.models import SubjectType
from psp.history.services import record_change
from psp.tenancy.models import Sector

NA, PD, SE = Stage.NEEDS_ASSESSMENT, Stage.PROGRAM_DESIGN, Stage.STAKEHOLDER_ENGAGEMENT
PILOT, TRAIN, MON, SUS = Stage.PILOT, Stage.TRAINING, Stage.MONITORING, Stage.SUSTAINABILITY
A = Activity

SPAN_DAYS = 730  # two years of visits at most
# Days between visits: closer together while the needs are assessed and the plan designed.
GAPS = {NA: (7, 16), PD: (10, 21)}
GAP = (14, 35)
# The last visit of a practice with no story of its own: this many days ago.
LAST_VISIT = (2, 12)

# Practices whose last visit was long ago, in days: the caseload's stalled and needs-attention
# stories. Marathon and Morrison are the stalled plans of psp/demo/plans.py (Morrison's plan was
# accepted at its last visit); the legal aid office moved into monitoring and then lost its
# office manager, and with her its contact with the network.
LAST_VISIT_DAYS_AGO = {
    "Marathon Family Medicine Group": 100,
    "Lakeshore Legal Aid Office": 102,
    "Morrison Law Office": 48,
}
# No visit is planned for these (which is part of why they are flagged).
NOTHING_PLANNED = {"Marathon Family Medicine Group", "Lakeshore Legal Aid Office"}
# Visits cancelled after the last one that took place, in days ago, with who cancelled.
CANCELLED_AFTER_LAST = {
    "Marathon Family Medicine Group": (74, 41),
    "Lakeshore Legal Aid Office": (80,),
}

# Mostly on site; e-mail now and then (the on-site, virtual and phone ones are also how the next
# visit is planned).
MODES = [
    (VisitMode.ON_SITE, 60),
    (VisitMode.VIRTUAL, 22),
    (VisitMode.PHONE, 13),
    (VisitMode.EMAIL, 5),
]
DURATIONS = {
    VisitMode.ON_SITE: (60, 75, 90, 90, 105, 120, 120, 150),
    VisitMode.VIRTUAL: (30, 45, 45, 60, 60, 75, 90),
    VisitMode.PHONE: (30, 30, 45, 60),
    VisitMode.EMAIL: (30, 30, 45),
}
# Travel to the practice and back from the coach's base, by region, in minutes (varied a little
# from visit to visit). Law practices are in the city.
TRAVEL = {
    "Lakehead": 35,
    "North Shore": 150,
    "Boreal East": 170,
    "Sunset Country": 190,
}
URBAN_TRAVEL = (20, 50)

# How a visit's minutes are spread over the support activities, by the practice's stage that day.
ACTIVITY_WEIGHTS = {
    NA: {A.ASSESSMENT_PLANNING: 8, A.FACILITATION: 2, A.WORKFLOW: 1, A.OTHER: 1},
    PD: {A.ASSESSMENT_PLANNING: 6, A.WORKFLOW: 2, A.FACILITATION: 2, A.DATA_REVIEW: 1},
    SE: {A.FACILITATION: 6, A.ASSESSMENT_PLANNING: 2, A.WORKFLOW: 2, A.COMPLIANCE: 1},
    PILOT: {A.WORKFLOW: 6, A.TECHNOLOGY: 3, A.DATA_REVIEW: 2, A.FACILITATION: 2},
    TRAIN: {A.TECHNOLOGY: 7, A.CPD: 4, A.WORKFLOW: 2, A.COMPLIANCE: 1},
    MON: {A.DATA_REVIEW: 7, A.WORKFLOW: 2, A.FACILITATION: 1, A.COMPLIANCE: 1, A.CPD: 1},
    SUS: {A.DATA_REVIEW: 5, A.FACILITATION: 3, A.CPD: 1, A.OTHER: 1},
}

# What a visit was for, by sector and stage (the first is also the agenda of a planned one).
PURPOSES = {
    Sector.PRIMARY_CARE: {
        NA: (
            "Walk through the practice assessment with the physician lead",
            "Baseline assessment: front desk and nursing questions",
            "Intake visit: introduce the program and book the baseline assessment",
        ),
        PD: (
            "Go through the baseline results with the team",
            "Draft the support plan: access and chronic disease registry goals",
            "Agree the plan's targets with the physicians",
        ),
        SE: (
            "Meet the front desk about the new booking rules",
            "Nursing team meeting: who owns the registry recalls",
            "Physician meeting: agree owners for each action",
        ),
        PILOT: (
            "Review week one of the advanced-access booking template",
            "Pilot check-in: third-next-available and no-show counts",
            "Adjust the pilot template with the two pilot physicians",
        ),
        TRAIN: (
            "Front desk training on the new booking rules",
            "EHR training: diabetes registry and recall reminders",
            "Lunch-and-learn on panel management (CPD credits)",
        ),
        MON: (
            "Monthly KPI review: access, registry completeness, patient experience",
            "Data review with the office manager",
            "Quarterly results with the whole team",
        ),
        SUS: (
            "Quarterly check-in on the improvement huddle",
            "Sustainability review with the practice lead",
            "Plan the next improvement cycle",
        ),
    },
    Sector.LAW: {
        NA: (
            "Walk through the practice self-assessment with the managing lawyer",
            "Self-assessment: intake, files and trust accounting questions",
            "Intake meeting: introduce the network and book the self-assessment",
        ),
        PD: (
            "Go through the assessment results with the partners",
            "Draft the support plan: intake, conflict checks and file management",
            "Agree the plan's targets with the partners",
        ),
        SE: (
            "Staff meeting: the new intake and conflict-check steps",
            "Walk the lawyers through the file-review routine",
            "Agree who owns each action with the office manager",
        ),
        PILOT: (
            "Review the first month of the intake checklist",
            "Pilot check-in: conflict checks done before first meetings",
            "Adjust the intake checklist after the pilot files",
        ),
        TRAIN: (
            "Practice-management system training for all staff",
            "Trust-accounting procedures training with the bookkeeper",
            "Client-communication workshop (CPD hours)",
        ),
        MON: (
            "Monthly review: file-closure times, trust reconciliations, complaints",
            "Data review with the office manager",
            "Quarterly results with the partners",
        ),
        SUS: (
            "Twice-yearly check-in on the checklist reviews",
            "Sustainability review with the managing lawyer",
            "Plan the next improvement cycle",
        ),
    },
}

NOTES = {
    Sector.PRIMARY_CARE: {
        NA: (
            "Went through the assessment questions with {contact}. The team finds same-day "
            "access the biggest pain: patients are sent to the walk-in most afternoons.",
            "Front desk and nurses answered their parts. Phone lines are jammed 8:30–10:00; "
            "nobody tracks how long patients wait for a routine appointment.",
            "Introduced the program and the assessment. {contact} wants to start with access.",
        ),
        PD: (
            "Shared the baseline results. Weakest: access and the diabetes registry. The team "
            "agreed to aim for third-next-available under 3 days.",
            "Drafted goals and actions with {contact}; the nurses want registry work first.",
            "Agreed targets and dates; the plan goes to the physicians' meeting next week.",
        ),
        SE: (
            "Met the front desk: worried about double-booking under the new rules. Agreed a "
            "trial with two physicians first.",
            "Nurses take over recall calls for diabetes patients; the office manager books the "
            "EHR trainer.",
            "Every action now has an owner. Physicians asked for a monthly access number.",
        ),
        PILOT: (
            "Pilot week went well: third-next-available down to 6 days for the pilot "
            "physicians. Same-day slots filled by 10:00.",
            "No-shows up slightly; agreed reminder calls the day before for the pilot panel.",
            "Moved two same-day slots to the afternoon after the front desk's feedback.",
        ),
        TRAIN: (
            "Trained the front desk on the booking rules; a cheat sheet is now at each desk.",
            "EHR session on the registry search and recall reminders; the nurses practised "
            "on their own panel.",
            "Lunch-and-learn on panel size and continuity; 8 attended, CPD certificates sent.",
        ),
        MON: (
            "Reviewed the month's numbers: access holding at 3 days, registry 81% complete.",
            "The office manager now pulls the KPI report herself; checked it together.",
            "Patient experience comments mostly about phone waits; agreed to look at the "
            "phone tree next month.",
        ),
        SUS: (
            "Sat in on the improvement huddle {contact} now runs; it works without me.",
            "Numbers held for the quarter. Talked about the next cycle: cervical screening.",
            "Short check-in; registry completeness slipped to 78% after a staff change.",
        ),
    },
    Sector.LAW: {
        NA: (
            "Went through the self-assessment with {contact}. Conflict checks happen after the "
            "first meeting on most files; nobody owns file closing.",
            "Staff answered their parts. Intake is done by whoever picks up the phone.",
            "Introduced the network and the self-assessment; {contact} wants help with intake.",
        ),
        PD: (
            "Shared the results. Weakest: conflict checks and file management. Agreed to aim "
            "for every conflict check done before the first meeting.",
            "Drafted goals and actions with {contact}; trust accounting comes in the second half.",
            "Agreed targets and dates; the partners sign off at their Monday meeting.",
        ),
        SE: (
            "Staff meeting on the new intake steps: the law clerks worried about the extra "
            "form. Agreed a one-page version.",
            "Lawyers agreed a monthly file review; the office manager keeps the list.",
            "Every action has an owner now. The partners want a monthly report on file "
            "closure times.",
        ),
        PILOT: (
            "First month of the intake checklist: all new files had conflict checks before the "
            "first meeting.",
            "Intake errors down from 9 to 4 this month; two came from the after-hours line.",
            "Shortened the checklist after the pilot files; engagement letter step moved up.",
        ),
        TRAIN: (
            "Trained all staff on the practice-management system's file-closing workflow.",
            "Trust-accounting session with the bookkeeper: monthly reconciliation steps.",
            "Client-communication workshop: status-update templates; CPD hours recorded.",
        ),
        MON: (
            "Reviewed the month: file-closure time down to 21 days, reconciliations on time.",
            "The office manager runs the monthly report now; checked it together.",
            "One client complaint about slow replies; agreed a 2-day reply rule.",
        ),
        SUS: (
            "Checked the checklist reviews {contact}'s team now runs; they stand on their own.",
            "Improvements held for six months. Next cycle: billing and collections.",
            "Short check-in; file reviews slipped during trial season, back on track now.",
        ),
    },
}
MODE_OPENINGS = {
    VisitMode.ON_SITE: "",
    VisitMode.VIRTUAL: "Video call. ",
    VisitMode.PHONE: "Phone call with {contact}. ",
    VisitMode.EMAIL: "By e-mail with {contact}: ",
}

CANCEL_REASONS = {
    Sector.PRIMARY_CARE: (
        "The clinic closed for the day: snowstorm on Highway 17.",
        "The physician lead was called in to cover the emergency department.",
        "Flu clinic day: the team had no time. Moved to next month.",
        "Cancelled by the practice: two staff off sick.",
    ),
    Sector.LAW: (
        "The managing lawyer was in court all day (trial moved up).",
        "The office closed for the move to the new suite.",
        "Cancelled at the partners' request: a filing deadline that week.",
        "Cancelled by the office: the office manager was away.",
    ),
}

REVISIONS = (
    ("Corrected the duration: the session ran 15 minutes over.", "duration"),
    ("Added the notes and the attendee I had left off.", "notes"),
)


@dataclass
class LoggedVisit:
    """A logged visit this run created, with what the later demo builders need from it."""

    visit: Visit
    stage: str
    attendees: list = field(default_factory=list)  # people of the practice
    goals: list = field(default_factory=list)  # plan goals it worked on
    is_last: bool = False  # the practice's latest visit


@dataclass
class PracticeContext:
    """What the visits of one practice are built from."""

    practice: Practice
    coaches: list  # primary first
    assigned_on: date
    people: list  # (person, role) of the practice's active members, leads first
    moves: list  # (day, stage) of its stage history, oldest first
    plans: list  # accepted plans with their goals, oldest first

    def stage_on(self, day: date) -> str:
        stage = self.moves[0][1] if self.moves else self.practice.stage
        for moved_on, to_stage in self.moves:
            if moved_on <= day:
                stage = to_stage
        return stage

    def plan_on(self, day: date) -> SupportPlan | None:
        """The plan that was active on `day`, if any."""
        for plan in reversed(self.plans):
            accepted = timezone.localdate(plan.accepted_at)
            ended = timezone.localdate(plan.completed_at) if plan.completed_at else None
            if accepted <= day and (ended is None or day < ended):
                return plan
        return None


def build(demo: DemoProgram) -> None:
    visited = set(Visit.objects.values_list("practice_id", flat=True).distinct())
    practices = [
        demo.practices[spec.name]
        for spec in PRACTICES[demo.program.slug]
        if demo.practices[spec.name].pk not in visited
    ]
    if not practices:
        return
    today = timezone.localdate(demo.now)
    batch = _Batch(demo)
    for ctx in _contexts(practices):
        if not ctx.coaches:
            continue
        rng = random.Random(f"visits:{demo.program.slug}:{ctx.practice.name}")
        _practice_visits(demo, batch, ctx, rng, today)
    batch.save()
    _revisions(demo, batch)


# What each practice's visits are built from (a handful of queries for all practices) ----------


def _contexts(practices: list[Practice]) -> list[PracticeContext]:
    ids = [p.pk for p in practices]
    coaches, assigned = {}, {}
    assignments = (
        CoachAssignment.objects.filter(practice_id__in=ids)
        .select_related("coach")
        .order_by("-is_primary", "assigned_at", "pk")
    )
    for assignment in assignments:
        coaches.setdefault(assignment.practice_id, []).append(assignment.coach)
        day = timezone.localdate(assignment.assigned_at)
        assigned[assignment.practice_id] = min(day, assigned.get(assignment.practice_id, day))
    people = {}
    members = (
        PracticeMembership.objects.filter(practice_id__in=ids, is_active=True)
        .select_related("user")
        .order_by("role", "pk")
    )
    for membership in members:
        people.setdefault(membership.practice_id, []).append((membership.user, membership.role))
    moves = {}
    for change in StageChange.objects.filter(practice_id__in=ids).order_by("moved_at", "pk"):
        moves.setdefault(change.practice_id, []).append(
            (timezone.localdate(change.moved_at), change.to_stage)
        )
    plans = {}
    accepted = (
        SupportPlan.objects.filter(practice_id__in=ids, accepted_at__isnull=False)
        .prefetch_related("goals")
        .order_by("accepted_at", "pk")
    )
    for plan in accepted:
        plans.setdefault(plan.practice_id, []).append(plan)
    return [
        PracticeContext(
            practice=practice,
            coaches=coaches.get(practice.pk, []),
            assigned_on=assigned.get(practice.pk, practice.enrolled_on),
            people=people.get(practice.pk, []),
            moves=moves.get(practice.pk, []),
            plans=plans.get(practice.pk, []),
        )
        for practice in practices
    ]


# One practice's visits ------------------------------------------------------------------------


class _Batch:
    """The rows of one program's visits, written together at the end."""

    def __init__(self, demo: DemoProgram):
        self.demo = demo
        self.visits: list[Visit] = []
        self.logged: list[LoggedVisit] = []
        self.activities: list[tuple[Visit, str, int]] = []

    def add(self, visit: Visit) -> Visit:
        visit.program = self.demo.program
        self.visits.append(visit)
        return visit

    def save(self) -> None:
        program = self.demo.program
        Visit.objects.bulk_create(self.visits, batch_size=500)
        VisitActivity.objects.bulk_create(
            (
                VisitActivity(program=program, visit=visit, activity=activity, minutes=minutes)
                for visit, activity, minutes in self.activities
            ),
            batch_size=1000,
        )
        VisitAttendee.objects.bulk_create(
            (
                VisitAttendee(program=program, visit=entry.visit, person=person)
                for entry in self.logged
                for person in entry.attendees
            ),
            batch_size=1000,
        )
        VisitGoal.objects.bulk_create(
            (
                VisitGoal(program=program, visit=entry.visit, goal=goal)
                for entry in self.logged
                for goal in entry.goals
            ),
            batch_size=1000,
        )
        # bulk_create stamps `updated_at` with now: put back when each visit last changed.
        for visit in self.visits:
            visit.updated_at = visit.logged_at or visit.cancelled_at or visit.created_at
        Visit.objects.bulk_update(self.visits, ["updated_at"], batch_size=500)
        self.demo.visits.extend(self.logged)
        counts = self.demo.created
        for visit in self.visits:
            counts[f"{visit.get_status_display().lower()} visits"] += 1
        counts["visit activities"] += len(self.activities)


def _practice_visits(demo, batch: _Batch, ctx: PracticeContext, rng, today: date) -> None:
    practice = ctx.practice
    first = max(ctx.assigned_on, today - timedelta(days=SPAN_DAYS))
    days_ago = LAST_VISIT_DAYS_AGO.get(practice.name) or rng.randint(*LAST_VISIT)
    last = _weekday_before(today - timedelta(days=days_ago))
    days = _visit_days(ctx, rng, first, last, today)
    travel = _travel_base(practice, rng)
    entries = []
    for day in days:
        entry = _logged(demo, ctx, rng, day, travel, is_last=day == days[-1])
        batch.add(entry.visit)
        batch.activities.extend(
            (entry.visit, activity, minutes)
            for activity, minutes in _activity_split(rng, ctx.stage_on(day), entry)
        )
        entries.append(entry)
    if entries:
        entries[-1].is_last = True
    batch.logged.extend(entries)
    for visit in _cancelled(demo, ctx, rng, days, today):
        batch.add(visit)
    if practice.name not in NOTHING_PLANNED:
        previous = entries[-1].visit if entries else None
        batch.add(_planned(demo, ctx, rng, today, previous))


def _visit_days(ctx, rng, first: date, last: date, today: date) -> list[date]:
    """Visit days from `last` back to `first`, a stage-dependent gap apart, weekdays only. A
    practice taken on a few days ago has had its intake visit, or (since yesterday) none yet."""
    if last < first:
        intake = _weekday_after(first)
        return [intake] if intake < today else []
    days = []
    day = last
    while day >= first:
        days.append(day)
        gap = GAPS.get(ctx.stage_on(day), GAP)
        day = _weekday_before(day - timedelta(days=rng.randint(*gap)))
    return days[::-1]


def _logged(demo, ctx: PracticeContext, rng, day: date, travel: int, is_last: bool):
    """A visit on `day`. The first is an intake visit on site; the whole team met the coach at
    the last one (so each of them has been asked for feedback lately)."""
    practice = ctx.practice
    sector = practice.sector if practice.sector in PURPOSES else Sector.PRIMARY_CARE
    stage = ctx.stage_on(day)
    coach = ctx.coaches[1] if len(ctx.coaches) > 1 and rng.random() < 0.25 else ctx.coaches[0]
    first_visit = day <= ctx.assigned_on + timedelta(days=7)
    modes = MODES[:2] if is_last else MODES  # the whole team meets on site or on a video call
    mode = VisitMode.ON_SITE if first_visit else _weighted(rng, modes)
    duration = rng.choice(DURATIONS[mode])
    start = None if mode == VisitMode.EMAIL else _start_time(rng, mode)
    attendees = [person for person, _ in ctx.people] if is_last else _attendees(ctx, rng, mode)
    if mode == VisitMode.ON_SITE:
        others = rng.randint(0 if attendees else 1, max(1, min(6, practice.staff_count // 2)))
    elif mode == VisitMode.VIRTUAL:
        others = rng.randint(0 if attendees else 1, 3)
    else:
        others = 0 if attendees else 1
    plan = ctx.plan_on(day)
    goals = []
    if plan is not None and rng.random() < 0.8:
        choices = sorted(plan.goals.all(), key=lambda goal: (goal.position, goal.pk))
        goals = rng.sample(choices, min(len(choices), rng.choice((1, 1, 2))))
    purpose = rng.choice(PURPOSES[sector][stage])
    contact = (attendees[0].full_name if attendees else "") or practice.contact_name
    notes = (MODE_OPENINGS[mode] + rng.choice(NOTES[sector][stage])).format(contact=contact)
    if goals:
        notes += " Worked on: " + "; ".join(goal.title.rstrip(".") for goal in goals) + "."
    ends = datetime.combine(day, start or time(15, 30)) + timedelta(minutes=duration)
    logged_at = _aware(ends + timedelta(minutes=rng.randint(10, 240)))
    logged_at = min(logged_at, demo.now - timedelta(hours=1))
    visit = Visit(
        practice=practice,
        coach=coach,
        status=VisitStatus.LOGGED,
        visit_date=day,
        start_time=start,
        mode=mode,
        duration_minutes=duration,
        travel_minutes=_noisy(rng, travel) if mode == VisitMode.ON_SITE else 0,
        other_attendees=others,
        purpose=purpose,
        notes=notes,
        logged_at=logged_at,
        created_at=logged_at,
        created_by=coach,
        updated_by=coach,
    )
    return LoggedVisit(visit=visit, stage=stage, attendees=attendees, goals=goals)


def _attendees(ctx: PracticeContext, rng, mode: str) -> list:
    """Who of the practice's people took part: most of them on site, one on a call or e-mail."""
    if not ctx.people:
        return []
    if mode in (VisitMode.PHONE, VisitMode.EMAIL):
        leads = [person for person, role in ctx.people if role == "lead"]
        return [leads[0] if leads and rng.random() < 0.7 else rng.choice(ctx.people)[0]]
    chance = 0.8 if mode == VisitMode.ON_SITE else 0.6
    chosen = [person for person, role in ctx.people if rng.random() < chance]
    return chosen or [ctx.people[0][0]]


def _activity_split(rng, stage: str, entry: LoggedVisit) -> list[tuple[str, int]]:
    """Minutes by activity, in fives, adding up exactly to the visit's duration: one to three
    activities drawn by the stage's weights, the stage's main work getting the most time."""
    duration = entry.visit.duration_minutes
    weights = ACTIVITY_WEIGHTS[stage]
    count = 1 if duration <= 30 else rng.choice((1, 2, 2, 3) if duration < 90 else (2, 3, 3))
    chosen = []
    while len(chosen) < count:
        activity = _weighted(rng, list(weights.items()))
        if activity not in chosen:
            chosen.append(activity)
    chosen.sort(key=lambda activity: -weights[activity])
    fives = duration // 5
    shares = [rng.uniform(2, 4)] + sorted((rng.uniform(0.5, 1.5) for _ in chosen[1:]), reverse=True)
    split = [max(1, int(fives * share / sum(shares))) for share in shares]
    split[0] += fives - sum(split)
    minutes = [five * 5 for five in split]
    minutes[0] += duration - sum(minutes)  # a duration that is not a multiple of five
    return list(zip(chosen, minutes, strict=True))


def _cancelled(demo, ctx: PracticeContext, rng, days: list[date], today: date) -> list[Visit]:
    """The visits called off: one between two visits for some practices, and those of the
    practices that went quiet after their last one."""
    practice = ctx.practice
    sector = practice.sector if practice.sector in CANCEL_REASONS else Sector.PRIMARY_CARE
    when = [today - timedelta(days=ago) for ago in CANCELLED_AFTER_LAST.get(practice.name, ())]
    recent = [day for day in days if day > today - timedelta(days=365)]
    if not when and len(recent) > 3 and rng.random() < 0.35:
        index = rng.randrange(len(recent) - 1)
        gap = (recent[index + 1] - recent[index]).days
        when = [recent[index] + timedelta(days=max(1, gap // 2))]
    visits = []
    for day in when:
        day = _weekday_before(day)
        coach = ctx.coaches[0]
        cancelled_at = _aware(datetime.combine(day - timedelta(days=1), time(16, 45)))
        visits.append(
            Visit(
                practice=practice,
                coach=coach,
                status=VisitStatus.CANCELLED,
                visit_date=day,
                start_time=time(10, 0),
                mode=VisitMode.ON_SITE,
                duration_minutes=90,
                purpose=rng.choice(PURPOSES[sector][ctx.stage_on(day)]),
                cancel_reason=rng.choice(CANCEL_REASONS[sector]),
                cancelled_at=cancelled_at,
                cancelled_by=coach,
                created_at=cancelled_at - timedelta(days=rng.randint(10, 25)),
                created_by=coach,
                updated_by=coach,
            )
        )
    return visits


def _planned(demo, ctx: PracticeContext, rng, today: date, previous: Visit | None) -> Visit:
    """The next visit, one to three weeks out (a new practice's intake visit within the week),
    booked at the last visit."""
    practice = ctx.practice
    sector = practice.sector if practice.sector in PURPOSES else Sector.PRIMARY_CARE
    stage = practice.stage
    new = previous is None
    day = _weekday_after(today + timedelta(days=rng.randint(2, 6) if new else rng.randint(7, 21)))
    mode = VisitMode.ON_SITE if new else _weighted(rng, MODES[:3])
    coach = ctx.coaches[0]
    booked_at = previous.logged_at if previous else demo.now - timedelta(hours=rng.randint(2, 30))
    purposes = PURPOSES[sector][stage]
    return Visit(
        practice=practice,
        coach=coach,
        status=VisitStatus.PLANNED,
        visit_date=day,
        start_time=_start_time(rng, mode),
        mode=mode,
        duration_minutes=rng.choice(DURATIONS[mode]),
        purpose=purposes[2] if new and stage == NA else rng.choice(purposes),
        created_at=booked_at,
        created_by=coach,
        updated_by=coach,
    )


# Visits edited after their day ------------------------------------------------------------------


def _revisions(demo, batch: _Batch) -> None:
    """Two visits whose coach corrected them a day or two later: each edit is a line of the
    visit's history (as the visit services write it), with who changed what, when and why."""
    today = timezone.localdate(demo.now)
    candidates = [
        entry
        for entry in batch.logged
        if entry.attendees
        and 20 <= (today - entry.visit.visit_date).days <= 200
        and entry.visit.duration_minutes >= 60
    ]
    rng = random.Random(f"revisions:{demo.program.slug}")
    chosen = rng.sample(candidates, min(len(candidates), len(REVISIONS)))
    for entry, (reason, kind) in zip(chosen, REVISIONS, strict=False):
        visit = entry.visit
        before = visit_snapshot(visit)
        if kind == "duration":
            before["duration_minutes"] = visit.duration_minutes - 15
            activities = before["activities"]
            biggest = max(activities, key=activities.get)
            activities[biggest] -= 15
            if activities[biggest] <= 0:
                del activities[biggest]
        else:
            before["notes"] = visit.notes.split(". ")[0] + "."
            before["attendees"] = before["attendees"][:-1]
        revised_at = min(
            visit.logged_at + timedelta(days=rng.randint(1, 3), hours=rng.randint(1, 5)),
            demo.now - timedelta(hours=1),
        )
        changes = edit_changes(before, visit_snapshot(visit))
        record_change(
            program=demo.program,
            practice=visit.practice_id,
            subject_type=SubjectType.VISIT,
            subject_id=visit.pk,
            what="visit.edited",
            summary=edit_summary(changes, reason),
            changes=changes,
            by=visit.coach,
            changed_at=revised_at,
        )
        Visit.objects.filter(pk=visit.pk).update(updated_at=revised_at, updated_by=visit.coach)
        demo.created["visits edited after their day"] += 1


# Small helpers ----------------------------------------------------------------------------------


def _weighted(rng, choices: list[tuple]) -> object:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


def _start_time(rng, mode: str) -> time:
    earliest, latest = (9, 14) if mode == VisitMode.ON_SITE else (8, 16)
    return time(rng.randint(earliest, latest), rng.choice((0, 30)))


def _travel_base(practice: Practice, rng) -> int:
    if practice.sector == Sector.PRIMARY_CARE and practice.region in TRAVEL:
        return TRAVEL[practice.region]
    return rng.randint(*URBAN_TRAVEL)


def _noisy(rng, minutes: int) -> int:
    return max(5, round(minutes * rng.uniform(0.85, 1.2) / 5) * 5)


def _weekday_before(day: date) -> date:
    """`day`, or the Friday before it when it falls on a weekend."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def _weekday_after(day: date) -> date:
    """`day`, or the Monday after it when it falls on a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() > 4 else 0)


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment)
