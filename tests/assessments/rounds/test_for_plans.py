"""What support plans read of assessments (assessments/rounds/for_plans.py): the rounds in a
person's reach and of a practice, a scored round's weak and lowest domains and its domain scores,
and the change library's active ideas."""

from decimal import Decimal

import pytest

from assessments.models import Assessment, ChangeIdea
from assessments.rounds import for_plans
from psp.tenancy.access import access_for
from psp.tenancy.permissions import Capability
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import (
    ANSWERS,
    SPEC,
    build_instrument,
    open_round,
    scored_round,
)
from tests.factories import ChangeIdeaFactory

D = Decimal
# Team 75.0 (roles 3 of 4 points, huddles yes, half the lead time); tech 87.5 (3 of 4 EHR points,
# no paper charts) with ANSWERS. All three EHR features make tech 100.
ALL_OF_TECH = {**ANSWERS, "ehr-use": ["recalls", "registries", "portal"]}


@pytest.fixture
def version(world):
    return build_instrument(world.program, weak_threshold=80)


# Rounds -----------------------------------------------------------------------------------


def test_assessments_in_reach_are_those_of_the_practices_the_person_holds_the_capability_for(
    world, version
):
    own = open_round(world, version)
    other = open_round(world, version, practice=world.other_practice)
    with program_scope(world.program):
        for person, expected in ((world.staff, {own}), (world.admin, {own, other})):
            access = access_for(program=world.program, user=person)
            rounds = for_plans.assessments_in_reach(access=access, capability=Capability.PLAN_VIEW)
            assert set(rounds) == expected


def test_assessments_in_reach_come_with_practice_and_instrument_in_one_query(
    world, version, django_assert_num_queries
):
    open_round(world, version)
    with program_scope(world.program):
        access = access_for(program=world.program, user=world.admin)
        access.can(Capability.PLAN_VIEW)  # the access reads its roles once, up front
        with django_assert_num_queries(1):
            rounds = list(
                for_plans.assessments_in_reach(access=access, capability=Capability.PLAN_VIEW)
            )
            assert [(r.practice.name, r.version.instrument.name) for r in rounds] == [
                (world.practice.name, "Practice readiness")
            ]


def test_a_practices_rounds_can_be_limited_to_the_scored_ones(world, version):
    scored = scored_round(world, version, ANSWERS)
    still_open = open_round(world, version)
    open_round(world, version, practice=world.other_practice)
    with program_scope(world.program):
        assert set(for_plans.practice_rounds(practice=world.practice)) == {scored, still_open}
        assert list(for_plans.practice_rounds(practice=world.practice, submitted_only=True)) == [
            scored
        ]
        assert for_plans.is_scored(Assessment.objects.get(pk=scored.pk))
        assert not for_plans.is_scored(still_open)


# Domain scores ----------------------------------------------------------------------------


def test_weak_domains_are_those_below_the_instruments_threshold_weakest_first(world):
    version = build_instrument(world.program, weak_threshold=80)
    assessment = scored_round(world, version, {**ANSWERS, "paper-charts": True})
    with program_scope(world.program):
        weak = list(for_plans.weak_domains(assessment=assessment))
    # team 75.0; tech 0.75 of 2 points (paper charts still in use earn nothing): 37.5.
    assert [(w.domain_key, w.percent) for w in weak] == [("tech", D("37.5")), ("team", D("75.0"))]


def test_the_lowest_domains_leave_out_those_at_full_marks_weakest_first(world, version):
    both_below = scored_round(world, version, ANSWERS)
    tech_full = scored_round(world, version, ALL_OF_TECH)
    with program_scope(world.program):
        lowest = for_plans.lowest_domains(assessment=both_below)
        one = for_plans.lowest_domains(assessment=both_below, limit=1)
        without_full = for_plans.lowest_domains(assessment=tech_full)
    assert [(s.domain_key, s.percent) for s in lowest] == [
        ("team", D("75.0")),
        ("tech", D("87.5")),
    ]
    assert [s.domain_key for s in one] == ["team"]
    assert [s.domain_key for s in without_full] == ["team"]


def test_a_rounds_domains_are_offered_in_the_instruments_order_with_their_scores(world, version):
    assessment = scored_round(world, version, ANSWERS)
    with program_scope(world.program):
        choices = for_plans.domain_choices(assessment_id=assessment.pk)
        tech = for_plans.domain_score(assessment_id=assessment.pk, domain_key="tech")
        missing = for_plans.domain_score(assessment_id=assessment.pk, domain_key="finance")
    assert choices == [("team", "Team roles"), ("tech", "EHR and technology use")]
    assert (tech.domain_name, tech.percent) == ("EHR and technology use", D("87.5"))
    assert missing is None


def test_an_open_round_offers_no_domains(world, version):
    assessment = open_round(world, version)
    with program_scope(world.program):
        assert for_plans.domain_choices(assessment_id=assessment.pk) == []


def test_domain_scores_prefetch_in_order_in_one_query(world, version, django_assert_num_queries):
    scored_round(world, version, ANSWERS)
    scored_round(world, version, ALL_OF_TECH)
    with program_scope(world.program):
        rounds = Assessment.objects.order_by("pk").prefetch_related(
            for_plans.domain_scores_prefetch("domain_scores")
        )
        with django_assert_num_queries(2):
            percents = [[s.percent for s in r.score_list] for r in rounds]
    assert percents == [[D("75.0"), D("87.5")], [D("75.0"), D("100.0")]]


def test_a_domain_is_named_as_the_newest_version_having_its_key_names_it(world, version):
    renamed = [("team", "Team and roles", SPEC[0][2])]
    build_instrument(
        world.program, renamed, instrument=version.instrument, number=2, status="draft"
    )
    instrument_id = version.instrument_id
    with program_scope(world.program):
        assert for_plans.domain_name(instrument_id=instrument_id, domain_key="team") == (
            "Team and roles"
        )
        assert for_plans.domain_name(instrument_id=instrument_id, domain_key="tech") == (
            "EHR and technology use"
        )
        assert for_plans.domain_name(instrument_id=instrument_id, domain_key="finance") is None


# The change library -----------------------------------------------------------------------


@pytest.fixture
def ideas(world, version, other_world):
    """Ideas of the instrument (one retired), of a second instrument, and of another program."""
    program, instrument = world.program, version.instrument
    second = build_instrument(program, key="second", name="A second instrument").instrument

    def idea(domain_key, goal, position=0, **fields):
        return ChangeIdeaFactory(
            program=program,
            instrument=fields.pop("instrument", instrument),
            domain_key=domain_key,
            goal=goal,
            position=position,
            **fields,
        )

    made = {
        "tech": idea("tech", "Use recalls", position=1),
        "team-second": idea("team", "Hold huddles", position=1),
        "team-first": idea("team", "Write a roles chart", position=0),
        "retired": idea("tech", "Scan paper charts", position=0, is_active=False),
        "elsewhere": idea("team", "Share the front desk", instrument=second),
    }
    ChangeIdeaFactory(program=other_world.program, domain_key="team", goal="Not ours")
    return made


def test_an_instruments_active_ideas_come_in_the_librarys_order(world, version, ideas):
    instrument_id = version.instrument_id
    with program_scope(world.program):
        every = list(for_plans.change_ideas_for(instrument_id=instrument_id))
        team = list(for_plans.change_ideas_for(instrument_id=instrument_id, domain_key="team"))
        best = for_plans.best_change_ideas(instrument_id=instrument_id)
    assert every == [ideas["team-first"], ideas["team-second"], ideas["tech"]]
    assert team == [ideas["team-first"], ideas["team-second"]]
    assert best == {"team": ideas["team-first"], "tech": ideas["tech"]}


def test_every_active_idea_of_the_program_comes_by_instrument(world, ideas):
    with program_scope(world.program):
        active = list(for_plans.active_change_ideas())
    assert active == [
        ideas["elsewhere"],  # "A second instrument" sorts before "Practice readiness"
        ideas["team-first"],
        ideas["team-second"],
        ideas["tech"],
    ]


def test_looking_up_an_idea_finds_retired_ones_but_never_another_programs(world, ideas):
    with program_scope(world.program):
        found = set(for_plans.change_ideas_in_program())
        assert ideas["retired"] in found
        assert set(ChangeIdea.objects.all()) == found
    assert {i.goal for i in found} == {
        "Use recalls",
        "Hold huddles",
        "Write a roles chart",
        "Scan paper charts",
        "Share the front desk",
    }
