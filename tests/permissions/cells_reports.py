"""Targets and bodies for the permission tables' rows of reports (issue 11).

- `program_report`, `theirs_card`, `other_card`: the request page of the program report, and
  of the practice report card of world.practice (`theirs`: the coach's, lead's and staff's
  practice) or world.other_practice, with the body that asks for it.
- `own_report` / `someone_elses_report`: a practice report card of world.practice, done with
  its file, asked for by the requesting person / by world.other_coach (nobody else's report
  is anyone's to see: 404 whatever the role).
- `own_subscription` / `someone_elses_subscription`: a monthly program report subscription of
  the requesting person / of world.manager (or world.admin for the manager).
- `own_transcript` / `staff_transcript`: the CPD transcript of a cycle of the requesting person
  / of world.staff, under a one-year scheme made for the rows.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from psp.reports.models import Report, ReportState, ReportSubscription
from psp.tenancy.scope import program_scope
from tests.reports.documents import ensure_documents

PREFIXES = ("reports:", "report-")


def handles(route: str) -> bool:
    return route.startswith(PREFIXES)


@dataclass
class Target:
    kwargs: dict
    body: dict = field(default_factory=dict)


def report(world, user) -> Report:
    made = Report(
        document="practice_card",
        params={"practice": world.practice.pk},
        description=world.practice.name,
        requested_by=user,
        state=ReportState.DONE,
        progress=100,
        pages=2,
        finished_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=30),
    )
    made.file.save("card.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    made.file_size = made.file.size
    made.save()
    return made


def subscription(world, user) -> ReportSubscription:
    return ReportSubscription.objects.create(
        user=user,
        document="program_report",
        frequency="monthly",
        next_run_on=timezone.localdate() + timedelta(days=30),
    )


def target(world, user, name: str, route: str) -> Target:
    ensure_documents()
    with program_scope(world.program):
        if name == "program_report":
            return Target({"document_code": "program_report"}, {})
        if name in ("theirs_card", "other_card"):
            practice = world.practice if name == "theirs_card" else world.other_practice
            return Target({"document_code": "practice_card"}, {"practice": practice.pk})
        if name in ("own_report", "someone_elses_report"):
            owner = user if name == "own_report" else world.other_coach
            return Target({"pk": report(world, owner).pk})
        if name in ("own_subscription", "someone_elses_subscription"):
            other = world.admin if user == world.manager else world.manager
            owner = user if name == "own_subscription" else other
            return Target({"pk": subscription(world, owner).pk})
        if name in ("own_transcript", "staff_transcript"):
            person = user if name == "own_transcript" else world.staff
            return transcript_target(cycle_of(world, person), route)
        if name == "-":
            return Target({}, create_body(world, route))
    raise AssertionError(f"unknown target {name}")


def cycle_of(world, person):
    """A cycle of `person` this year, under a one-year scheme (made once for the world)."""
    from datetime import date

    from cpd.models import CpdScheme
    from tests.cpd.documents.conftest import RULES, THIS_YEAR
    from tests.cpd.scheme_factories import make_cycle, make_scheme

    scheme = CpdScheme.objects.filter(code="annual").first() or make_scheme(
        world.program, RULES, code="annual", name="Annual CPD"
    )
    return make_cycle(scheme, person, date(THIS_YEAR, 1, 1), date(THIS_YEAR, 12, 31))


def transcript_target(cycle, route: str) -> Target:
    if route == "report-list":
        return Target({}, {"document": "cpd_transcript", "params": {"cycle": cycle.pk}})
    return Target({"document_code": "cpd_transcript"}, {"cycle": cycle.pk})


def create_body(world, route: str) -> dict:
    return {
        "report-list": {"document": "practice_card", "params": {"practice": world.practice.pk}},
        "report-subscription-list": {
            "document": "program_report",
            "frequency": "monthly",
            "params": {},
        },
    }.get(route, {})
