"""Demo CPD transcripts and certificates: Mei Lin, a registered nurse at Riverside Family
Health Team, finished her five-year family-medicine cycle last June with every requirement met,
so the demo shows a completed cycle. Her earlier years' learning (conferences, workshops,
courses, audits, journal reading) is recorded and verified as it would have been, then she asks
for her certificate and her transcript, made as any report is made (psp/demo/reports.py); each
carries a verification code that /verify/ checks.

Only what is missing is added: an activity is known by its person, title and end date, a report
by its requester and document.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from cpd.activities import services
from cpd.credentials.selectors import standing
from cpd.models import CpdActivity
from cpd.schemes.cycles import cycle_for
from psp.demo.common import DemoProgram
from psp.demo.cpd_activities import PRIMARY_CARE, certificate
from psp.demo.programs import NORTHERN
from psp.demo.reports import report_made
from psp.tenancy.models import ProgramMembership

# Whose completed cycle, by program.
PEOPLE = {NORTHERN: "Mei Lin"}


@dataclass(frozen=True)
class Earlier:
    activity_type: str
    title: str
    provider: str
    month: int  # of the cycle year (1: its first month)
    hours: str = ""
    items: int | None = None


# One cycle year's learning: some 46 credits (the scheme asks 25 a year, 250 in five years, half
# certified and 25 from assessment such as audits, which earn three credits an hour).
YEAR = (
    Earlier(
        "conference",
        "Primary health care nursing conference",
        "Provincial nurses' association",
        3,
        "21",
    ),
    Earlier(
        "workshop",
        "Chronic disease management: the nurse's role",
        "College of family physicians",
        5,
        "7",
    ),
    Earlier(
        "course", "Immunization update for primary care", "Public health unit (online)", 7, "7"
    ),
    Earlier("practice_audit", "Audit of diabetic foot examinations", "Own practice", 9, "3"),
    Earlier(
        "reading",
        "Journal club: nursing in team-based primary care",
        "Practice journal club",
        11,
        "2",
        4,
    ),
)


def build(demo: DemoProgram) -> None:
    name = PEOPLE.get(demo.program.slug)
    admin = demo.people.get("admin")
    membership = (
        ProgramMembership.objects.filter(user__full_name=name, is_active=True)
        .select_related("user")
        .first()
    )
    if name is None or admin is None or membership is None:
        return
    person, today = membership.user, demo.now.date()
    current = cycle_for(program=demo.program, person=person, on=today)
    if current is None:
        return
    last_day = current.starts_on - timedelta(days=1)
    cycle = cycle_for(program=demo.program, person=person, on=last_day)
    for year in range(cycle.starts_on.year, cycle.ends_on.year):
        for learning in YEAR:
            day = _in_year(cycle.starts_on, year - cycle.starts_on.year, learning.month)
            _recorded(demo, person, admin, learning, day, today)
    _top_up(demo, person, admin, cycle, today)
    report_made(demo, email=person.email, document="cpd_certificate", data={"cycle": str(cycle.pk)})
    report_made(demo, email=person.email, document="cpd_transcript", data={"cycle": str(cycle.pk)})


def _in_year(start: date, offset: int, month: int) -> date:
    """The 15th of the `month`th month of the cycle's year `offset` (0 for its first)."""
    months = start.month - 1 + offset * 12 + month - 1
    return date(start.year + months // 12, months % 12 + 1, 15)


def _recorded(demo, person, admin, learning: Earlier, day: date, today: date) -> None:
    if CpdActivity.objects.filter(person=person, title=learning.title, ended_on=day).exists():
        return
    days = int(Decimal(learning.hours or "0") // 7)  # a conference takes two days
    data = {
        "activity_type": learning.activity_type,
        "title": learning.title,
        "provider": learning.provider,
        "started_on": day - timedelta(days=max(days - 1, 0)),
        "ended_on": day,
        "category": "",
        "hours": learning.hours or "1",
        "reflection": _reflection(learning.activity_type),
    }
    if learning.items:
        data["items"] = learning.items
    with_file = learning.activity_type in ("conference", "workshop", "course")
    activity = services.activity_record(
        program=demo.program,
        by=person,
        data=data,
        submit=True,
        evidence=[certificate(person, learning, day)] if with_file else [],
        today=today,
    )
    services.activity_verify(program=demo.program, activity=activity, by=admin)
    moment = demo.now - timedelta(days=(demo.now.date() - day).days)
    CpdActivity.objects.filter(pk=activity.pk).update(
        created_at=moment + timedelta(days=1),
        submitted_at=moment + timedelta(days=1),
        verified_at=moment + timedelta(days=8),
    )
    demo.created["CPD activities of a completed cycle"] += 1


def _reflection(activity_type: str) -> dict:
    """The reflection the demo's primary-care learning of the same type gives."""
    same = next((item for item in PRIMARY_CARE if item.activity_type == activity_type), None)
    return dict(same.reflection) if same else {}


def _top_up(demo, person, admin, cycle, today) -> None:
    """A course or two in the cycle's final months if anything is still short (her two recent
    years come from psp/demo/cpd_activities.py at a pace of their own)."""
    for weeks in (3, 7, 11):
        found = standing(cycle, today=today)
        if found.progress.is_met:
            return
        missing = max((r.missing for r in found.progress.requirements), default=Decimal(0))
        learning = Earlier(
            "course",
            "Wound care: evidence-based dressings",
            "Regional wound care program",
            0,
            str(min(max(missing, Decimal(1)), Decimal(14))),
        )
        _recorded(demo, person, admin, learning, cycle.ends_on - timedelta(weeks=weeks), today)
