"""The practice services: enrolment, profile changes, stage moves, coaches and members."""

import pytest
from django.core.exceptions import ValidationError

from practices import services
from practices.models import CoachAssignment, Practice, PracticeMembership, Stage, StageChange
from psp.tenancy.access import access_for
from psp.tenancy.models import ProgramRole, Sector
from psp.tenancy.scope import program_scope
from tests.factories import (
    MembershipFactory,
    PracticeFactory,
    PracticeMembershipFactory,
    UserFactory,
    api_token_for,
)


def test_creating_a_practice_records_its_enrolment_as_the_first_stage_change(world, in_program):
    practice = services.practice_create(
        program=world.program,
        by=world.admin,
        name="  Bayview Family Health  ",
        sector=Sector.PRIMARY_CARE,
        region="Bayview",
        professionals_count=3,
    )

    practice.refresh_from_db()
    assert practice.name == "Bayview Family Health"
    assert practice.stage == Stage.NEEDS_ASSESSMENT
    assert practice.program_id == world.program.pk
    [change] = StageChange.objects.filter(practice=practice)
    assert (change.from_stage, change.to_stage, change.moved_by) == (
        "",
        Stage.NEEDS_ASSESSMENT,
        world.admin,
    )
    assert change.moved_at == practice.stage_changed_at


def test_a_practice_can_join_at_a_later_stage(world, in_program):
    practice = services.practice_create(
        program=world.program, by=world.admin, name="Late Joiner", sector=Sector.LAW, stage="pilot"
    )

    assert practice.stage == Stage.PILOT
    assert StageChange.objects.get(practice=practice).to_stage == Stage.PILOT


def test_a_second_practice_with_the_same_name_is_refused_and_nothing_is_saved(world, in_program):
    before = (Practice.objects.count(), StageChange.objects.count())

    with pytest.raises(ValidationError) as error:
        services.practice_create(
            program=world.program,
            by=world.admin,
            name=world.practice.name.upper(),
            sector=Sector.PRIMARY_CARE,
        )

    assert "name" in error.value.message_dict
    assert (Practice.objects.count(), StageChange.objects.count()) == before


def test_the_same_name_is_fine_in_another_program(world, other_world, in_program):
    practice = services.practice_create(
        program=world.program,
        by=world.admin,
        name=other_world.practice.name,
        sector=Sector.LAW,
    )

    assert practice.pk


def test_an_invalid_sector_is_refused_with_a_field_error(world, in_program):
    with pytest.raises(ValidationError) as error:
        services.practice_create(
            program=world.program, by=world.admin, name="Odd One", sector="astrology"
        )

    assert "sector" in error.value.message_dict
    assert not Practice.objects.filter(name="Odd One").exists()


def test_updating_a_practice_changes_only_the_profile_fields_given(world, in_program):
    updated = services.practice_update(
        program=world.program,
        practice=world.practice,
        by=world.coach,
        data={"region": "Harbourside", "staff_count": 9},
    )

    fresh = Practice.objects.get(pk=world.practice.pk)
    assert (fresh.region, fresh.staff_count) == ("Harbourside", 9)
    assert fresh.name == world.practice.name
    assert updated.region == "Harbourside"


def test_an_update_cannot_sneak_in_a_stage_change(world, in_program):
    with pytest.raises(ValidationError) as error:
        services.practice_update(
            program=world.program, practice=world.practice, by=world.admin, data={"stage": "pilot"}
        )

    assert "stage" in error.value.message_dict
    assert Practice.objects.get(pk=world.practice.pk).stage == Stage.NEEDS_ASSESSMENT


def test_renaming_onto_another_practices_name_is_refused(world, in_program):
    with pytest.raises(ValidationError) as error:
        services.practice_update(
            program=world.program,
            practice=world.practice,
            by=world.admin,
            data={"name": world.other_practice.name},
        )

    assert "name" in error.value.message_dict
    assert Practice.objects.get(pk=world.practice.pk).name == world.practice.name


def test_a_stage_move_records_who_moved_it_when_and_why(world, in_program):
    change = services.practice_stage_move(
        program=world.program,
        practice=world.practice,
        to_stage=Stage.PROGRAM_DESIGN,
        by=world.coach,
        note="Assessment reviewed with the lead.",
    )

    fresh = Practice.objects.get(pk=world.practice.pk)
    assert fresh.stage == Stage.PROGRAM_DESIGN
    assert fresh.stage_changed_at == change.moved_at
    assert (change.from_stage, change.to_stage) == (Stage.NEEDS_ASSESSMENT, Stage.PROGRAM_DESIGN)
    assert change.moved_by == world.coach
    assert change.note == "Assessment reviewed with the lead."
    assert world.practice.stage == Stage.PROGRAM_DESIGN  # the caller's object follows


def test_a_practice_can_move_back_to_an_earlier_stage(world, in_program):
    services.practice_stage_move(
        program=world.program, practice=world.practice, to_stage=Stage.PILOT, by=world.admin
    )
    services.practice_stage_move(
        program=world.program,
        practice=world.practice,
        to_stage=Stage.STAKEHOLDER_ENGAGEMENT,
        by=world.admin,
        note="The pilot was paused.",
    )

    history = list(
        StageChange.objects.filter(practice=world.practice).values_list("from_stage", "to_stage")
    )
    assert history[:2] == [
        (Stage.PILOT, Stage.STAKEHOLDER_ENGAGEMENT),
        (Stage.NEEDS_ASSESSMENT, Stage.PILOT),
    ]


def test_moving_to_the_stage_the_practice_is_in_is_refused(world, in_program):
    with pytest.raises(ValidationError) as error:
        services.practice_stage_move(
            program=world.program,
            practice=world.practice,
            to_stage=Stage.NEEDS_ASSESSMENT,
            by=world.admin,
        )

    assert "already" in error.value.message_dict["to_stage"][0]
    assert not StageChange.objects.filter(practice=world.practice).exists()


def test_moving_to_a_stage_that_does_not_exist_is_refused(world, in_program):
    with pytest.raises(ValidationError):
        services.practice_stage_move(
            program=world.program, practice=world.practice, to_stage="retired", by=world.admin
        )

    assert Practice.objects.get(pk=world.practice.pk).stage == Stage.NEEDS_ASSESSMENT


def test_a_practice_of_another_program_cannot_be_moved(world, other_world, in_program):
    with pytest.raises(ValidationError):
        services.practice_stage_move(
            program=world.program,
            practice=other_world.practice,
            to_stage=Stage.PILOT,
            by=world.admin,
        )

    with program_scope(other_world.program):
        assert Practice.objects.get(pk=other_world.practice.pk).stage == Stage.NEEDS_ASSESSMENT


def test_assigning_a_coach_puts_the_practice_in_their_caseload(world, in_program):
    assignment = services.coach_assign(
        program=world.program, practice=world.other_practice, coach=world.coach, by=world.admin
    )

    assert assignment.assigned_by == world.admin
    assert set(
        CoachAssignment.objects.filter(coach=world.coach).values_list("practice", flat=True)
    ) == {world.practice.pk, world.other_practice.pk}


def test_a_practices_first_coach_is_primary_and_a_second_is_not(world, in_program):
    practice = PracticeFactory(program=world.program, name="Fresh Start Clinic")

    first = services.coach_assign(
        program=world.program, practice=practice, coach=world.coach, by=world.admin
    )
    second = services.coach_assign(
        program=world.program, practice=practice, coach=world.other_coach, by=world.admin
    )

    assert (first.is_primary, second.is_primary) == (True, False)


def test_a_coach_from_another_program_is_refused_with_a_clear_message(
    world, other_world, in_program
):
    with pytest.raises(ValidationError) as error:
        services.coach_assign(
            program=world.program,
            practice=world.practice,
            coach=other_world.coach,
            by=world.admin,
        )

    assert "is not a coach in this program" in error.value.message_dict["coach"][0]
    assert not CoachAssignment.objects.filter(coach=other_world.coach).exists()


def test_a_program_member_without_the_coach_role_cannot_be_assigned(world, in_program):
    with pytest.raises(ValidationError) as error:
        services.coach_assign(
            program=world.program, practice=world.practice, coach=world.manager, by=world.admin
        )

    assert "coach" in error.value.message_dict


def test_a_deactivated_coach_cannot_be_assigned(world, in_program):
    former = UserFactory(email="former-coach@example.org")
    MembershipFactory(program=world.program, user=former, role=ProgramRole.COACH, is_active=False)

    with pytest.raises(ValidationError):
        services.coach_assign(
            program=world.program, practice=world.practice, coach=former, by=world.admin
        )


def test_assigning_the_same_coach_twice_is_refused(world, in_program):
    with pytest.raises(ValidationError) as error:
        services.coach_assign(
            program=world.program, practice=world.practice, coach=world.coach, by=world.admin
        )

    assert "already coaches" in error.value.message_dict["coach"][0]
    assert CoachAssignment.objects.filter(practice=world.practice).count() == 1


def test_unassigning_the_primary_coach_makes_the_remaining_coach_primary(world, in_program):
    services.coach_assign(
        program=world.program, practice=world.practice, coach=world.other_coach, by=world.admin
    )
    primary = CoachAssignment.objects.get(practice=world.practice, coach=world.coach)

    services.coach_unassign(program=world.program, assignment=primary, by=world.admin)

    [left] = CoachAssignment.objects.filter(practice=world.practice)
    assert (left.coach, left.is_primary) == (world.other_coach, True)


def test_removing_a_member_from_their_last_practice_closes_their_way_into_the_program(
    world, in_program
):
    token, _key = api_token_for(world.program, world.staff, name="script")
    membership = PracticeMembership.objects.get(practice=world.practice, user=world.staff)

    services.practice_member_remove(program=world.program, membership=membership, by=world.lead)

    assert not PracticeMembership.objects.filter(pk=membership.pk).exists()
    assert PracticeMembership.objects.filter(practice=world.practice, user=world.lead).exists()
    assert access_for(program=world.program, user=world.staff) is None
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_member_of_two_practices_keeps_the_program_when_removed_from_one(world, in_program):
    PracticeMembershipFactory(
        program=world.program, practice=world.other_practice, user=world.staff, role="staff"
    )
    membership = PracticeMembership.objects.get(practice=world.practice, user=world.staff)

    services.practice_member_remove(program=world.program, membership=membership, by=world.admin)

    access = access_for(program=world.program, user=world.staff)
    assert access is not None
    assert set(access.practice_roles) == {world.other_practice.pk}


def test_a_membership_of_another_program_cannot_be_removed(world, other_world, in_program):
    with program_scope(other_world.program):
        membership = PracticeMembership.objects.get(user=other_world.staff)

    with pytest.raises(ValidationError):
        services.practice_member_remove(
            program=world.program, membership=membership, by=world.admin
        )

    with program_scope(other_world.program):
        assert PracticeMembership.objects.filter(pk=membership.pk).exists()
