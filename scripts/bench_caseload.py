"""Benchmark: what the caseload, timeline and dose pages cost next to a trivial page.

Builds one program in a throwaway in-memory SQLite database (the test suite's kind of database,
never the development file), with N practices spread over a few coaches, each practice with V
logged visits (with minutes by activity) over two years, a planned and a cancelled visit, an
active plan with overdue, open and done actions (with their status history), a submitted
assessment and a stage move. Then it requests each page R times through Django's test client
and prints the median time, the query count and the ratio to a trivial page (the person's API
tokens: same middleware, login and layout, next to no data) measured in the same run.

Query counts must not depend on N or V (the tests assert that); the ratios show what the
grouped queries cost as the data grows. The program-wide caseload (overview, a manager's home,
the caseload API) reads stored standings: it is measured with them current, after one practice
changed (the usual case: that practice is computed again), and with all of them due, as on
the first read of a day before the nightly job has run. The dose pages and API sum the stored
monthly dose summary (coaching/dose), kept current as the visits are written. Run from the
project root, about a minute:

    .venv/bin/python scripts/bench_caseload.py                  # 200 practices, 20 visits each
    .venv/bin/python scripts/bench_caseload.py --practices 1000 --visits 10 --runs 3
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psp.settings")
os.environ["DEBUG"] = "1"  # development settings: no key, no HTTPS redirect, plain static files
os.environ.pop("DATABASE_URL", None)  # always SQLite, created in memory below
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

COACHES = 8


def build(practices: int, visits: int):
    """The program and its people; returns (program, manager, coach, busiest practice)."""
    from psp.tenancy.models import ProgramRole
    from psp.tenancy.scope import program_scope
    from tests.factories import (
        InstrumentVersionFactory,
        MembershipFactory,
        ProgramFactory,
        UserFactory,
    )

    program = ProgramFactory(slug="bench-psp", name="Bench PSP")
    manager = UserFactory(email="manager@bench.example.org", full_name="Mina Manager")
    MembershipFactory(program=program, user=manager, role=ProgramRole.MANAGER)
    coaches = []
    for i in range(COACHES):
        coach = UserFactory(email=f"coach{i}@bench.example.org", full_name=f"Coach {i}")
        MembershipFactory(program=program, user=coach, role=ProgramRole.COACH)
        coaches.append(coach)
    version = InstrumentVersionFactory(program=program)
    with program_scope(program):
        rows = _practices(program, coaches, practices)
        _visits(program, coaches, rows, visits)
        _plans(program, rows)
        _assessments(program, version, rows)
    return program, manager, coaches[0], rows[0]


def _practices(program, coaches, count: int):
    from practices.models import CoachAssignment, Practice, StageChange

    rows = Practice.objects.bulk_create(
        Practice(program=program, name=f"Bench Practice {i:05}", sector="primary_care")
        for i in range(count)
    )
    CoachAssignment.objects.bulk_create(
        CoachAssignment(
            program=program,
            practice=practice,
            coach=coaches[i % COACHES],
            assigned_at=timezone.now() - timedelta(days=700),
        )
        for i, practice in enumerate(rows)
    )
    StageChange.objects.bulk_create(
        StageChange(program=program, practice=p, from_stage="", to_stage="pilot") for p in rows
    )
    return rows


def _visits(program, coaches, rows, per_practice: int) -> None:
    from coaching.models import Activity, Visit, VisitActivity, VisitMode, VisitStatus

    today, now = timezone.localdate(), timezone.now()
    modes = list(VisitMode.values)
    activities = list(Activity.values)
    new_visits = []
    for i, practice in enumerate(rows):
        coach = coaches[i % COACHES]
        # Spread over two years; every few practices has gone quiet (needs attention,
        # stalled), so the caseload has every status.
        quiet = (i % 7) * 20
        for v in range(per_practice):
            new_visits.append(
                Visit(
                    program=program,
                    practice=practice,
                    coach=coach,
                    status=VisitStatus.LOGGED,
                    visit_date=today - timedelta(days=quiet + v * (730 // max(per_practice, 1))),
                    mode=modes[v % len(modes)],
                    duration_minutes=60,
                    travel_minutes=20,
                    logged_at=now,
                )
            )
        for status, days in ((VisitStatus.PLANNED, -10), (VisitStatus.CANCELLED, 5)):
            new_visits.append(
                Visit(
                    program=program,
                    practice=practice,
                    coach=coach,
                    status=status,
                    visit_date=today - timedelta(days=days),
                )
            )
    created = Visit.objects.bulk_create(new_visits, batch_size=2000)
    VisitActivity.objects.bulk_create(
        (
            VisitActivity(
                program=program, visit=visit, activity=activities[k % len(activities)], minutes=m
            )
            for visit in created
            if visit.status == VisitStatus.LOGGED
            for k, m in ((visit.pk, 40), (visit.pk + 1, 20))
        ),
        batch_size=2000,
    )


# Each active plan has one goal with four actions: overdue, in progress, done, and due soon.
ACTION_MIX = [
    ("open", -20),
    ("in_progress", 30),
    ("done", -40),
    ("open", 10),
]


def _plans(program, rows) -> None:
    from coaching.models import (
        ActionStatus,
        ActionStatusChange,
        PlanAction,
        PlanGoal,
        PlanStatus,
        SupportPlan,
    )

    today, now = timezone.localdate(), timezone.now()
    plans = SupportPlan.objects.bulk_create(
        SupportPlan(
            program=program,
            practice=p,
            title=f"Plan of {p.name}",
            status=PlanStatus.ACTIVE,
            accepted_at=now - timedelta(days=90),
        )
        for p in rows
    )
    goals = PlanGoal.objects.bulk_create(
        PlanGoal(program=program, plan=plan, title="Shorter waits") for plan in plans
    )
    actions = PlanAction.objects.bulk_create(
        (
            PlanAction(
                program=program,
                practice_id=plan.practice_id,
                plan=plan,
                goal=goal,
                title=f"Action {a}",
                status=status,
                due_on=today + timedelta(days=due),
                completed_at=now - timedelta(days=30) if status == "done" else None,
            )
            for plan, goal in zip(plans, goals, strict=True)
            for a, (status, due) in enumerate(ACTION_MIX)
        ),
        batch_size=2000,
    )
    ActionStatusChange.objects.bulk_create(
        (
            ActionStatusChange(
                program=program,
                action=action,
                from_status=ActionStatus.OPEN,
                to_status=action.status,
                changed_at=now - timedelta(days=30),
            )
            for action in actions
            if action.status != ActionStatus.OPEN
        ),
        batch_size=2000,
    )


def _assessments(program, version, rows) -> None:
    from assessments.models import Assessment, AssessmentStatus

    Assessment.objects.bulk_create(
        Assessment(
            program=program,
            practice=p,
            version=version,
            status=AssessmentStatus.SUBMITTED,
            submitted_at=timezone.now() - timedelta(days=200),
        )
        for p in rows
    )


def measure(client, path: str, runs: int, before_each=None) -> tuple[float, int]:
    client.get(path)  # warm up (templates, the person's last program, the caseload standings)
    times = []
    for _ in range(runs):
        if before_each:
            before_each()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times) * 1000, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--practices", type=int, default=200)
    parser.add_argument("--visits", type=int, default=20, help="logged visits per practice")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    started = time.perf_counter()
    program, manager, coach, practice = build(args.practices, args.visits)
    built = time.perf_counter() - started
    slug = program.slug
    print(
        f"{args.practices} practices, {args.visits} logged visits each, {COACHES} coaches "
        f"(built in {built:.1f} s); median of {args.runs} runs\n"
    )

    as_manager, as_coach = Client(), Client()
    as_manager.force_login(manager)
    as_coach.force_login(coach)
    from practices import derived

    # Outside a transaction a mark is stamped at once, as after a write's commit.
    def one_practice_changed():
        derived.mark_stale(practice_ids=[practice.pk])

    def a_new_day():
        derived.mark_stale(program_ids=[program.pk])

    pages = [
        ("trivial page (API tokens)", as_manager, f"/p/{slug}/api-tokens/"),
        ("caseload overview, manager", as_manager, f"/p/{slug}/caseload/all/"),
        (
            "  ... after one practice changed",
            as_manager,
            f"/p/{slug}/caseload/all/",
            one_practice_changed,
        ),
        ("  ... every standing due (new day)", as_manager, f"/p/{slug}/caseload/all/", a_new_day),
        ("program home, manager", as_manager, f"/p/{slug}/"),
        ("my caseload, coach", as_coach, f"/p/{slug}/caseload/"),
        ("practice timeline, coach", as_coach, f"/p/{slug}/practices/{practice.pk}/timeline/"),
        ("dose by month, manager", as_manager, f"/p/{slug}/caseload/dose/"),
        ("dose by activity, manager", as_manager, f"/p/{slug}/caseload/dose/?group_by=activity"),
        ("dose by practice, manager", as_manager, f"/p/{slug}/caseload/dose/?group_by=practice"),
        ("practice dose, coach", as_coach, f"/p/{slug}/practices/{practice.pk}/dose/"),
        ("API dose, manager", as_manager, f"/api/v1/programs/{slug}/dose/"),
        ("API caseload, manager", as_manager, f"/api/v1/programs/{slug}/caseload/"),
    ]
    baseline = None
    print(f"{'page':34} {'median ms':>10} {'queries':>8} {'x trivial':>10}")
    for label, client, path, *before_each in pages:
        ms, queries = measure(client, path, args.runs, *before_each)
        baseline = baseline or ms
        print(f"{label:34} {ms:10.1f} {queries:8d} {ms / baseline:10.1f}")
    connection.creation.destroy_test_db(":memory:", verbosity=0)


if __name__ == "__main__":
    main()
