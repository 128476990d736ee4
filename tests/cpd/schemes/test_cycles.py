"""Which scheme a person is under, and their cycles: starts, chaining, carry-over, versions."""

from datetime import date

import pytest

from cpd.models import CpdCycle
from cpd.progress.engine import progress
from cpd.schemes.cycles import cycle_for, scheme_for
from cpd.schemes.models import CpdSchemeMember
from cpd.schemes.rules import Rules
from psp.tenancy.models import Sector
from psp.tenancy.scope import program_scope
from tests.cpd.rules_examples import annual_hours, family
from tests.cpd.scheme_factories import add_version, make_activity, make_cycle, make_scheme
from tests.factories import PracticeFactory, PracticeMembershipFactory


@pytest.fixture
def scoped(world):
    with program_scope(world.program):
        yield world


def spans(cycles):
    return [(c.starts_on, c.ends_on) for c in cycles]


def test_a_fixed_cycle_starts_at_the_start_of_the_reporting_year(scoped):
    scheme = make_scheme(scoped.program, family())
    cycle = cycle_for(program=scoped.program, person=scoped.staff, on=date(2026, 1, 15))
    assert (cycle.starts_on, cycle.ends_on) == (date(2025, 7, 1), date(2030, 6, 30))
    assert cycle.scheme == scheme and cycle.version == scheme.current_version
    assert cycle.carried_in == 0 and cycle.status == "open"
    on_the_day = cycle_for(program=scoped.program, person=scoped.lead, on=date(2025, 7, 1))
    assert on_the_day.starts_on == date(2025, 7, 1)


def test_the_same_cycle_is_found_again_for_any_date_inside_it(scoped):
    make_scheme(scoped.program, family())
    first = cycle_for(program=scoped.program, person=scoped.staff, on=date(2026, 1, 15))
    again = cycle_for(program=scoped.program, person=scoped.staff, on=date(2030, 6, 30))
    assert again == first
    assert CpdCycle.objects.filter(person=scoped.staff).count() == 1


def test_without_create_a_missing_cycle_is_not_made(scoped):
    make_scheme(scoped.program, family())
    assert (
        cycle_for(program=scoped.program, person=scoped.staff, on=date(2026, 1, 1), create=False)
        is None
    )
    assert not CpdCycle.objects.exists()


def test_later_and_earlier_fixed_cycles_follow_on_without_gaps(scoped):
    make_scheme(scoped.program, family())
    for on in (date(2026, 1, 15), date(2031, 3, 1), date(2024, 2, 1)):
        cycle_for(program=scoped.program, person=scoped.staff, on=on)
    assert spans(CpdCycle.objects.order_by("starts_on")) == [
        (date(2020, 7, 1), date(2025, 6, 30)),
        (date(2025, 7, 1), date(2030, 6, 30)),
        (date(2030, 7, 1), date(2035, 6, 30)),
    ]


def test_a_personal_cycle_from_29_february_comes_back_to_it_in_leap_years(scoped):
    make_scheme(scoped.program, annual_hours(), code="law")
    for on in (date(2024, 2, 29), date(2025, 3, 1), date(2028, 3, 10)):
        cycle_for(program=scoped.program, person=scoped.staff, on=on)
    assert spans(CpdCycle.objects.order_by("starts_on")) == [
        (date(2024, 2, 29), date(2025, 2, 27)),
        (date(2025, 2, 28), date(2026, 2, 27)),
        (date(2028, 2, 29), date(2029, 2, 27)),
    ]


def test_a_personal_cycle_from_a_month_end_ends_the_day_before_its_anniversary(scoped):
    rules = annual_hours() | {"cycle": {"years": 2, "start": "personal"}}
    make_scheme(scoped.program, rules, code="teaching")
    cycle = cycle_for(program=scoped.program, person=scoped.staff, on=date(2023, 8, 31))
    assert (cycle.starts_on, cycle.ends_on) == (date(2023, 8, 31), date(2025, 8, 30))
    before = cycle_for(program=scoped.program, person=scoped.staff, on=date(2023, 8, 30))
    assert (before.starts_on, before.ends_on) == (date(2021, 8, 31), date(2023, 8, 30))


def test_a_reporting_year_ending_on_a_month_end_is_handled(scoped):
    make_scheme(scoped.program, family(cycle__years=1, cycle__fixed_month=12, cycle__fixed_day=31))
    cycle = cycle_for(program=scoped.program, person=scoped.staff, on=date(2026, 12, 30))
    assert (cycle.starts_on, cycle.ends_on) == (date(2025, 12, 31), date(2026, 12, 30))


def test_the_next_cycle_carries_in_the_surplus_of_the_last_year(scoped):
    scheme = make_scheme(scoped.program, family())
    previous = make_cycle(scheme, scoped.staff, date(2020, 7, 1), date(2025, 6, 30))
    for year in range(2020, 2024):
        make_activity(previous, date(year, 9, 1), 50)
    make_activity(previous, date(2024, 9, 1), 70)  # 270 in all, 70 of them in the last year
    make_activity(previous, date(2024, 10, 1), 90, status="rejected")
    cycle = cycle_for(program=scoped.program, person=scoped.staff, on=date(2025, 8, 1))
    assert cycle.starts_on == date(2025, 7, 1)
    assert cycle.carried_in == 20


def test_no_carry_over_when_the_previous_rules_have_none(scoped):
    scheme = make_scheme(scoped.program, family(carry_over=None))
    previous = make_cycle(scheme, scoped.staff, date(2020, 7, 1), date(2025, 6, 30))
    make_activity(previous, date(2024, 9, 1), 400)
    cycle = cycle_for(program=scoped.program, person=scoped.staff, on=date(2025, 8, 1))
    assert cycle.carried_in == 0


def test_a_rule_change_leaves_a_running_cycle_on_its_version_and_the_next_takes_the_new_one(scoped):
    scheme = make_scheme(scoped.program, family())
    running = cycle_for(program=scoped.program, person=scoped.staff, on=date(2026, 1, 15))
    make_activity(running, date(2026, 1, 10), 10)
    old_version = running.version
    new_version = add_version(scheme, family(required__total=200, required__per_year=None))

    running.refresh_from_db()
    assert running.version == old_version
    again = cycle_for(program=scoped.program, person=scoped.staff, on=date(2027, 1, 1))
    assert again == running
    following = cycle_for(program=scoped.program, person=scoped.staff, on=date(2031, 1, 1))
    assert following.version == new_version
    assert (following.starts_on, following.ends_on) == (date(2030, 7, 1), date(2035, 6, 30))

    # The running cycle's progress is still counted under the rules it started under.
    result = progress(
        rules=Rules.parse(running.version.rules),
        cycle=running,
        activities=running.activities.all(),
        today=date(2026, 2, 1),
    )
    assert result.required_total == 250
    assert [s.label for s in result.shortfalls if s.kind == "per_year"] == ["Year 1"]


def test_a_changed_cycle_length_starts_the_next_cycle_the_day_after_the_last(scoped):
    scheme = make_scheme(scoped.program, family())
    cycle_for(program=scoped.program, person=scoped.staff, on=date(2026, 1, 15))
    add_version(scheme, family(cycle__years=3, cycle__fixed_month=1, cycle__fixed_day=1))
    following = cycle_for(program=scoped.program, person=scoped.staff, on=date(2030, 8, 1))
    assert (following.starts_on, following.ends_on) == (date(2030, 7, 1), date(2032, 12, 31))


def test_a_hand_picked_person_is_under_the_scheme_picked_for_them(scoped):
    make_scheme(scoped.program, family(), code="a-family", roles=("staff",))
    picked = make_scheme(scoped.program, annual_hours(), code="z-chosen", roles=())
    CpdSchemeMember.objects.create(program=scoped.program, scheme=picked, user=scoped.staff)
    assert scheme_for(person=scoped.staff, on=date(2026, 1, 1)) == picked


def test_the_first_active_scheme_by_name_matching_a_role_and_sector_applies(scoped):
    make_scheme(scoped.program, family(), code="a-off", roles=("staff",), active=False)
    law = make_scheme(scoped.program, annual_hours(), code="b-law", sectors=[Sector.LAW])
    family_scheme = make_scheme(scoped.program, family(), code="c-family", roles=("staff",))
    make_scheme(scoped.program, family(), code="d-coaches", roles=("coach",))
    on = date(2026, 1, 1)
    assert scheme_for(person=scoped.staff, on=on) == family_scheme
    assert scheme_for(person=scoped.lead, on=on) is None
    assert scheme_for(person=scoped.coach, on=on).code == "d-coaches"
    assert scheme_for(person=scoped.admin, on=on) is None

    law_firm = PracticeFactory(program=scoped.program, name="Harbour Law", sector=Sector.LAW)
    PracticeMembershipFactory(
        program=scoped.program, practice=law_firm, user=scoped.lead, role="lead"
    )
    assert scheme_for(person=scoped.lead, on=on) == law


def test_a_coach_is_matched_by_the_program_sector(scoped):
    make_scheme(
        scoped.program, annual_hours(), code="law-coaches", roles=("coach",), sectors=["law"]
    )
    assert scheme_for(person=scoped.coach, on=date(2026, 1, 1)) is None
    make_scheme(
        scoped.program, family(), code="care-coaches", roles=("coach",), sectors=["primary_care"]
    )
    assert scheme_for(person=scoped.coach, on=date(2026, 1, 1)).code == "care-coaches"


def test_without_a_scheme_a_person_keeps_the_cycle_they_had(scoped):
    scheme = make_scheme(scoped.program, family(), roles=("staff",))
    cycle = cycle_for(program=scoped.program, person=scoped.staff, on=date(2026, 1, 15))
    scheme.is_active = False
    scheme.save()
    assert cycle_for(program=scoped.program, person=scoped.staff, on=date(2026, 2, 1)) == cycle
    assert cycle_for(program=scoped.program, person=scoped.staff, on=date(2031, 2, 1)) is None


def test_another_programs_schemes_never_apply(scoped, other_world):
    make_scheme(other_world.program, family(), roles=("staff", "lead"))
    assert scheme_for(person=scoped.staff, on=date(2026, 1, 1)) is None
    assert cycle_for(program=scoped.program, person=scoped.staff, on=date(2026, 1, 1)) is None
