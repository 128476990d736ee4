"""Demo PDSA cycles on the active plans' goals, written through the PDSA services.

One practice's goal per scenario, so the demo shows a cycle in every stage: one adopted, one
adapted into a second cycle that now awaits its decision, one abandoned, one running, one being
studied and one still being planned. The text is a primary-care practice's (a law practice's in
the legal program). The KPI each cycle watches is its goal's.
"""

from dataclasses import dataclass
from datetime import timedelta

from coaching.models import GoalStatus, PdsaCycle, PlanGoal, PlanStatus
from coaching.pdsa import services
from psp.demo.common import DemoProgram
from psp.tenancy.models import Sector


@dataclass(frozen=True)
class Step:
    change: str
    prediction: str
    started: int | None = None  # days ago
    done: str = ""
    result: str = ""
    studied: int | None = None
    decision: str = ""
    notes: str = ""
    ended: int | None = None
    planned: int | None = None  # days ahead, for a cycle not started


PRIMARY_CARE = [
    [
        Step(
            "Text reminders two days before every booked appointment",
            "Missed appointments fall from about 11% to under 8% within six weeks.",
            started=170,
            done="The front desk switched on EHR text reminders for all physicians; "
            "patients without a mobile number were phoned.",
            result="Missed appointments fell to 7.4% over six weeks, better than predicted; "
            "no extra calls to the front desk.",
            studied=130,
            decision="adopt",
            notes="Kept for every clinic; reminders now part of the booking template.",
            ended=125,
        )
    ],
    [
        Step(
            "Hold four same-day slots per physician for urgent requests",
            "Third next available appointment drops from 9 days to 5 within a month.",
            started=140,
            done="Four slots held each morning; released at noon if unused.",
            result="Third next available fell to 7 days; the slots ran out by 10:00 most days.",
            studied=110,
            decision="adapt",
            notes="Not enough slots and released too late: try six, released at 11:00.",
            ended=105,
        ),
        Step(
            "Hold six same-day slots, released at 11:00 if unused",
            "Third next available under 5 days, with no slot left empty at day's end.",
            started=95,
            done="Six slots held for three physicians; the MOA released unused ones at 11:00.",
            result="Third next available reached 4 days; two slots a week went unused.",
            studied=40,
        ),
    ],
    [
        Step(
            "Patients check themselves in on a tablet at reception",
            "Check-in takes under a minute and the queue at the desk halves.",
            started=120,
            done="One tablet at reception for four weeks, with a poster and a volunteer.",
            result="Most older patients asked for help anyway; the queue did not change.",
            studied=85,
            decision="abandon",
            notes="Not worth the cost for our patients; revisit with the new EHR portal.",
            ended=80,
        )
    ],
    [
        Step(
            "A ten-minute pre-visit planning huddle at 8:15",
            "Care gaps (overdue screening, labs) flagged for 90% of the day's booked patients.",
            started=18,
        )
    ],
    [
        Step(
            "MOAs give flu shots under a standing order",
            "Flu shots for patients over 65 rise from 48% to 60% this season.",
            started=50,
            done="Standing order signed; two MOAs trained and offered the shot at every visit.",
        )
    ],
    [
        Step(
            "Phone patients overdue for a diabetic review instead of mailing a letter",
            "Half of the overdue patients book a review within three weeks.",
            planned=10,
        )
    ],
]

LAW = [
    [
        Step(
            "A second lawyer checks every limitation date on opening a file",
            "No missed or miscalculated deadlines over the quarter.",
            started=160,
            done="Every new file's dates checked by a second lawyer within two days.",
            result="Two wrong dates caught in 41 files; none missed.",
            studied=75,
            decision="adopt",
            notes="Part of the file-opening checklist from now on.",
            ended=70,
        )
    ],
    [
        Step(
            "Clients get an update email every two weeks",
            "Client satisfaction rises from 7.1 to 8 out of 10.",
            started=130,
            done="Templates written; assistants sent updates for active matters.",
            result="Satisfaction rose to 7.6; fortnightly was too often for slow files.",
            studied=100,
            decision="adapt",
            notes="Every two weeks for active matters, monthly for dormant ones.",
            ended=95,
        ),
        Step(
            "Update emails fortnightly for active matters, monthly for dormant ones",
            "Satisfaction reaches 8 out of 10 without extra assistant time.",
            started=90,
            done="Matters flagged active or dormant; updates sent on that rhythm.",
            result="Satisfaction 8.1 out of 10; assistant time unchanged.",
            studied=30,
        ),
    ],
    [
        Step(
            "Trust reconciliation by the bookkeeper on the first Monday",
            "Reconciliations on time every month of the quarter.",
            started=110,
            done="Tried for two months.",
            result="The bookkeeper's hours were cut; one month was late.",
            studied=60,
            decision="abandon",
            notes="Moved to the accounting software's automatic reconciliation instead.",
            ended=55,
        )
    ],
    [
        Step(
            "Conflict checks recorded in the intake form",
            "Every new matter shows a recorded conflict check.",
            started=15,
        )
    ],
    [
        Step(
            "Dormant files reviewed at the Friday file meeting",
            "Files without activity for 90 days fall from 30 to under 10.",
            started=45,
            done="Each lawyer brought their three oldest dormant files every Friday.",
        )
    ],
]


def build(demo: DemoProgram) -> None:
    if PdsaCycle.objects.exists():
        return  # seeded before: cycles are never added twice
    scenarios = LAW if demo.program.sector == Sector.LAW else PRIMARY_CARE
    goals = _one_goal_per_practice()
    for goal, steps in zip(goals, scenarios, strict=False):
        previous = None
        for step in steps:
            previous = _cycle(demo, goal, step, previous)


def _one_goal_per_practice() -> list[PlanGoal]:
    goals = (
        PlanGoal.objects.filter(plan__status=PlanStatus.ACTIVE, status=GoalStatus.OPEN)
        .select_related("plan__practice")
        .order_by("plan__practice__name", "position", "pk")
    )
    chosen: dict[int, PlanGoal] = {}
    for goal in goals:
        chosen.setdefault(goal.plan.practice_id, goal)
    return list(chosen.values())


def _cycle(demo: DemoProgram, goal: PlanGoal, step: Step, previous) -> PdsaCycle:
    program, today = demo.program, demo.now.date()
    by = goal.plan.accepted_by or goal.plan.created_by
    cycle = services.pdsa_cycle_plan(
        program=program,
        goal=goal,
        by=by,
        change_idea=step.change,
        prediction=step.prediction,
        planned_start=today + timedelta(days=step.planned) if step.planned else None,
        previous=previous,
    )
    demo.created["PDSA cycles"] += 1
    moves = [
        (step.started, {"started_on": _ago(today, step.started)}),
        (step.done, {"what_done": step.done}),
        (step.result, {"result": step.result, "studied_on": _ago(today, step.studied)}),
        (
            step.decision,
            {
                "decision": step.decision,
                "act_notes": step.notes,
                "ended_on": _ago(today, step.ended),
            },
        ),
    ]
    for present, data in moves:
        if not present:
            break
        cycle = services.pdsa_cycle_move(
            program=program, cycle=cycle, by=by, data=data, today=today
        )
    return cycle


def _ago(today, days):
    return None if days is None else today - timedelta(days=days)
