"""The CPD KPI measures with figures worked out by hand: people on pace, credits per person and
the share of credits verified, per practice and month, as ratios that combine by their sums.

The world: a calendar-year scheme of 12 hours (2026 has 365 days, so the steady pace is 12 × the
days gone by / 365: 1.02 hours by 31 January, 1.94 by 28 February, 2.43 by "today", 15 March).
Health Centre: the lead (2 hours verified on 10 January, 1 self-reported on 5 March) and the
staff member (0.5 self-reported on 20 January, 3 submitted on 20 February, 1 rejected). Lakeside:
a newcomer with no cycle, and a returner whose cycle carried in 3 hours and who recorded
nothing. A coach (no scheme, no practice) recorded 5 verified hours that no practice counts.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cpd.models import CpdActivity, CpdScheme
from psp.measures.registry import registry
from psp.tenancy.scope import program_scope
from tests.cpd.rules_examples import annual_hours
from tests.cpd.scheme_factories import make_activity, make_cycle, make_scheme
from tests.factories import MembershipFactory, PracticeMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

DEC, JAN, FEB, MAR = date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
MONTHS = [DEC, JAN, FEB, MAR]
TODAY = date(2026, 3, 15)
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def practice_person(world, practice, name: str):
    person = UserFactory(email=f"{name}@north-psp.example.org", full_name=name.title())
    MembershipFactory(program=world.program, user=person, role="practice")
    PracticeMembershipFactory(program=world.program, practice=practice, user=person, role="staff")
    return person


def activity(cycle, ended_on, hours, *, practice, status="verified", category="general"):
    made = make_activity(
        cycle, ended_on, hours, category=category, activity_type="course", status=status
    )
    with program_scope(cycle.program):
        CpdActivity.objects.filter(pk=made.pk).update(practice=practice)
    return made


@pytest.fixture
def cpd(world):
    scheme = make_scheme(
        world.program, annual_hours(start="fixed", fixed_month=1, fixed_day=1), code="annual"
    )
    centre, lakeside = world.practice, world.other_practice
    lead = make_cycle(scheme, world.lead, *YEAR)
    activity(lead, date(2026, 1, 10), 2, practice=centre)
    activity(lead, date(2026, 3, 5), 1, practice=centre, status="self_reported")
    staff = make_cycle(scheme, world.staff, *YEAR)
    activity(staff, date(2026, 1, 20), "0.5", practice=centre, status="self_reported")
    activity(staff, date(2026, 2, 20), 3, practice=centre, status="submitted")
    activity(staff, date(2026, 2, 25), 1, practice=centre, status="rejected")
    practice_person(world, lakeside, "newcomer")
    returner = practice_person(world, lakeside, "returner")
    make_cycle(scheme, returner, *YEAR, carried_in=Decimal(3))
    coach = make_cycle(scheme, world.coach, *YEAR)
    activity(coach, date(2026, 1, 15), 5, practice=None)
    return world


def ratios(world, code, months=MONTHS, **options) -> dict:
    """{(practice name, month): (numerator, denominator)}, each value exactly their ratio."""
    names = {world.practice.pk: "Centre", world.other_practice.pk: "Lakeside"}
    found = registry.get(code).compute(world.program, months=months, **options)
    result = {}
    for value in found:
        assert value.value == value.numerator / value.denominator
        result[names[value.practice_id], value.period] = (value.numerator, value.denominator)
    return result


def test_people_on_pace_at_each_months_end(cpd):
    assert ratios(cpd, "cpd-on-pace", today=TODAY) == {
        # The lead is on pace every month; the staff member's half hour is short of 1.02 at
        # the end of January, their 3.5 hours past 1.94 at the end of February.
        ("Centre", JAN): (100, 2),
        ("Centre", FEB): (200, 2),
        ("Centre", MAR): (200, 2),  # by today: the lead 3, the staff member 3.5, pace 2.43
        # The newcomer has no cycle; the returner's 3 hours carried in keep them on pace.
        ("Lakeside", JAN): (100, 2),
        ("Lakeside", FEB): (100, 2),
        ("Lakeside", MAR): (100, 2),
        # December comes before the program's first CPD activity: no value.
    }


def test_on_pace_falls_behind_as_the_year_goes_by(cpd):
    later = ratios(cpd, "cpd-on-pace", months=[date(2026, 4, 1)], today=date(2026, 4, 30))
    # By 30 April the pace is 12 × 120 / 365 = 3.95: the returner's 3, the lead's 3 and the
    # staff member's 3.5 all fall short.
    assert later == {("Centre", date(2026, 4, 1)): (0, 2), ("Lakeside", date(2026, 4, 1)): (0, 2)}
    assert ratios(cpd, "cpd-on-pace", months=[date(2026, 5, 1)], today=TODAY) == {}  # to come


def test_credits_per_person_are_the_months_counted_credits_over_the_people(cpd):
    assert ratios(cpd, "cpd-credits-per-person") == {
        ("Centre", JAN): (Decimal("2.5"), 2),  # 2 verified + 0.5 self-reported
        ("Centre", FEB): (3, 2),  # the rejected hour does not count
        ("Centre", MAR): (1, 2),
        ("Lakeside", JAN): (0, 2),
        ("Lakeside", FEB): (0, 2),
        ("Lakeside", MAR): (0, 2),
    }
    value = registry.get("cpd-credits-per-person").compute(cpd.program, months=[JAN])
    assert {v.value for v in value} == {Decimal("1.25"), 0}


def test_verified_share_is_of_the_credits_counted(cpd):
    assert ratios(cpd, "cpd-verified-share") == {
        ("Centre", JAN): (200, Decimal("2.5")),  # 80 %
        ("Centre", FEB): (0, 3),  # waiting for a verifier
        ("Centre", MAR): (0, 1),
    }


def test_only_the_practices_asked_for_are_read(cpd):
    lakeside = [cpd.other_practice.pk]
    assert set(ratios(cpd, "cpd-on-pace", practice_ids=lakeside, today=TODAY)) == {
        ("Lakeside", JAN),
        ("Lakeside", FEB),
        ("Lakeside", MAR),
    }
    assert ratios(cpd, "cpd-verified-share", practice_ids=lakeside) == {}
    for code in ("cpd-on-pace", "cpd-credits-per-person", "cpd-verified-share"):
        assert ratios(cpd, code, practice_ids=[]) == {}


def test_a_program_without_schemes_has_no_cpd_figures(world):
    for code in ("cpd-on-pace", "cpd-credits-per-person", "cpd-verified-share"):
        assert ratios(world, code) == {}


def queries(world, code) -> int:
    with CaptureQueriesContext(connection) as captured:
        registry.get(code).compute(world.program, months=MONTHS)
    return len(captured)


@pytest.mark.parametrize(
    ("code", "expected"),
    [("cpd-on-pace", 7), ("cpd-credits-per-person", 6), ("cpd-verified-share", 1)],
)
def test_no_cpd_measure_grows_its_queries_with_the_data(cpd, code, expected):
    small = queries(cpd, code)
    with program_scope(cpd.program):
        annual = CpdScheme.objects.get(code="annual")
    for n in range(6):
        practice = cpd.practice if n % 2 else cpd.other_practice
        person = practice_person(cpd, practice, f"learner{n}")
        cycle = make_cycle(annual, person, *YEAR)
        for month in (1, 2, 3):
            activity(cycle, date(2026, month, 10 + n), n + 1, practice=practice)

    assert queries(cpd, code) == small == expected
