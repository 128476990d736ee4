"""A practice's own pages: detail, add, edit, stage move, coaches and members."""

import pytest
from django.urls import reverse

from practices import services
from practices.models import CoachAssignment, Practice, PracticeMembership, Stage, StageChange
from psp.tenancy.models import Sector
from psp.tenancy.scope import program_scope


def url(name, world, **kwargs):
    return reverse(f"practices:{name}", kwargs={"program": world.program.slug, **kwargs})


def fresh(world, practice) -> Practice:
    with program_scope(world.program):
        return Practice.objects.get(pk=practice.pk)


def count(world, model, **filters) -> int:
    with program_scope(world.program):
        return model.objects.filter(**filters).count()


VALID_PROFILE = {
    "name": "Seaview Family Practice",
    "sector": Sector.PRIMARY_CARE,
    "specialty": "Family medicine",
    "professionals_count": "5",
    "staff_count": "7",
    "region": "Seaview",
    "address": "1 Shore Road",
    "contact_name": "Dr Mira Shah",
    "contact_email": "mira@seaview.example.org",
    "contact_phone": "+1 555 0100",
    "enrolled_on": "2025-03-01",
}


# Detail ------------------------------------------------------------------------------------


def test_the_practice_page_shows_profile_people_and_stage(client, world):
    with program_scope(world.program):
        services.practice_stage_move(
            program=world.program,
            practice=world.practice,
            to_stage=Stage.PROGRAM_DESIGN,
            by=world.coach,
            note="Plan drafted together.",
        )
    client.force_login(world.manager)

    response = client.get(url("detail", world, pk=world.practice.pk))

    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        world.practice.name,
        world.practice.specialty,
        world.coach.full_name,  # assigned coach, and who moved the stage
        world.lead.full_name,
        world.staff.full_name,
        "Plan drafted together.",
    ):
        assert text in html
    assert html.count('class="stage-progress__step') == 7
    assert 'aria-current="step"' in html
    steps = response.context["stage_steps"]
    assert [s["state"] for s in steps] == ["done", "current"] + ["todo"] * 5


def test_the_practice_page_offers_actions_by_role(client, world):
    page = url("detail", world, pk=world.practice.pk)
    expectations = {
        # who: (edit, move stage, assign coach, remove members)
        "admin": (True, True, True, True),
        "manager": (False, False, False, False),
        "coach": (True, True, False, False),
        "lead": (True, False, False, True),
        "staff": (False, False, False, False),
    }
    for who, expected in expectations.items():
        client.force_login(world.user(who))
        can = client.get(page).context["can"]
        assert (can["edit"], can["move"], can["assign"], can["remove_members"]) == expected, who


@pytest.mark.parametrize("who", ["other_coach", "outsider", "other_program_admin"])
def test_a_practice_out_of_reach_answers_404(client, world, other_world, outsider, who):
    person = {
        "other_coach": world.other_coach,
        "outsider": outsider,
        "other_program_admin": other_world.admin,
    }[who]
    client.force_login(person)

    assert client.get(url("detail", world, pk=world.practice.pk)).status_code == 404


def test_a_practice_of_another_program_answers_404_even_to_an_admin(client, world, other_world):
    client.force_login(world.admin)

    response = client.get(url("detail", world, pk=other_world.practice.pk))

    assert response.status_code == 404


# Create ------------------------------------------------------------------------------------


def test_an_admin_adds_a_practice(client, world):
    client.force_login(world.admin)

    response = client.post(url("create", world), {**VALID_PROFILE, "stage": Stage.NEEDS_ASSESSMENT})

    with program_scope(world.program):
        practice = Practice.objects.get(name="Seaview Family Practice")
        assert practice.contact_email == "mira@seaview.example.org"
        assert StageChange.objects.filter(practice=practice, moved_by=world.admin).count() == 1
    assert response.status_code == 302
    assert response["Location"] == practice.get_absolute_url()


def test_an_invalid_new_practice_shows_errors_beside_fields_and_saves_nothing(client, world):
    client.force_login(world.admin)
    before = count(world, Practice)

    response = client.post(
        url("create", world),
        {**VALID_PROFILE, "name": "", "contact_email": "not-an-email", "stage": "pilot"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "contact_email"}
    assert 'id="id_name_error"' in html
    assert 'id="id_contact_email_error"' in html
    assert 'aria-invalid="true"' in html
    assert "data-error-summary" in html
    assert 'href="#id_name"' in html
    assert count(world, Practice) == before


def test_a_duplicate_practice_name_is_shown_on_the_name_field(client, world):
    client.force_login(world.admin)

    response = client.post(
        url("create", world), {**VALID_PROFILE, "name": world.practice.name, "stage": "pilot"}
    )

    assert "already exists" in response.context["form"].errors["name"][0]
    assert count(world, Practice, name=world.practice.name) == 1


@pytest.mark.parametrize("who", ["manager", "coach", "lead"])
def test_only_admins_may_add_practices(client, world, who):
    client.force_login(world.user(who))

    get = client.get(url("create", world))
    post = client.post(url("create", world), {**VALID_PROFILE, "stage": "pilot"})

    assert (get.status_code, post.status_code) == (403, 403)
    assert count(world, Practice, name=VALID_PROFILE["name"]) == 0


# Edit --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "coach", "lead"])
def test_the_admin_the_assigned_coach_and_the_lead_edit_the_profile(client, world, who):
    client.force_login(world.user(who))
    form = client.get(url("edit", world, pk=world.practice.pk)).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}

    response = client.post(
        url("edit", world, pk=world.practice.pk), {**data, "region": "New Harbour"}
    )

    assert response.status_code == 302
    assert fresh(world, world.practice).region == "New Harbour"


def test_practice_staff_may_look_but_not_edit(client, world):
    client.force_login(world.staff)

    assert client.get(url("detail", world, pk=world.practice.pk)).status_code == 200
    assert client.get(url("edit", world, pk=world.practice.pk)).status_code == 403
    response = client.post(url("edit", world, pk=world.practice.pk), VALID_PROFILE)
    assert response.status_code == 403
    assert fresh(world, world.practice).name == world.practice.name


def test_a_coach_cannot_edit_a_practice_outside_their_caseload(client, world):
    client.force_login(world.coach)

    response = client.post(url("edit", world, pk=world.other_practice.pk), VALID_PROFILE)

    assert response.status_code == 404
    assert fresh(world, world.other_practice).name == world.other_practice.name


def test_an_invalid_edit_changes_nothing_and_keeps_the_page_title(client, world):
    client.force_login(world.admin)

    response = client.post(
        url("edit", world, pk=world.practice.pk),
        {**VALID_PROFILE, "name": "Renamed", "professionals_count": "-3"},
    )

    assert response.status_code == 200
    assert "professionals_count" in response.context["form"].errors
    assert response.context["practice"].name == world.practice.name
    assert fresh(world, world.practice).name == world.practice.name


# Stage move --------------------------------------------------------------------------------


def test_an_admin_moves_a_practice_to_another_stage_with_a_note(client, world):
    client.force_login(world.admin)

    response = client.post(
        url("stage_move", world, pk=world.practice.pk),
        {"to_stage": Stage.TRAINING, "note": "Skipping ahead: the pilot ran last year."},
        follow=True,
    )

    html = response.content.decode()
    assert response.redirect_chain == [(url("detail", world, pk=world.practice.pk), 302)]
    assert fresh(world, world.practice).stage == Stage.TRAINING
    assert "moved to “Training and onboarding”" in html
    assert "Skipping ahead: the pilot ran last year." in html


def test_the_assigned_coach_moves_the_stage(client, world):
    client.force_login(world.coach)

    client.post(url("stage_move", world, pk=world.practice.pk), {"to_stage": Stage.PILOT})

    with program_scope(world.program):
        change = StageChange.objects.filter(practice=world.practice).first()
    assert (change.to_stage, change.moved_by) == (Stage.PILOT, world.coach)


def test_moving_to_the_current_stage_shows_an_error_and_changes_nothing(client, world):
    client.force_login(world.admin)

    response = client.post(
        url("stage_move", world, pk=world.practice.pk), {"to_stage": Stage.NEEDS_ASSESSMENT}
    )

    assert response.status_code == 200
    assert "to_stage" in response.context["form"].errors
    assert 'id="id_to_stage_error"' in response.content.decode()
    assert count(world, StageChange, practice=world.practice) == 0


@pytest.mark.parametrize("who", ["lead", "staff", "manager"])
def test_people_who_may_see_but_not_move_the_stage_get_403(client, world, who):
    client.force_login(world.user(who))

    response = client.post(
        url("stage_move", world, pk=world.practice.pk), {"to_stage": Stage.PILOT}
    )

    assert response.status_code == 403
    assert fresh(world, world.practice).stage == Stage.NEEDS_ASSESSMENT


def test_the_stage_move_page_works_without_javascript(client, world):
    client.force_login(world.coach)

    response = client.get(url("stage_move", world, pk=world.practice.pk))

    choices = [value for value, _ in response.context["form"].fields["to_stage"].choices]
    assert response.status_code == 200
    assert Stage.NEEDS_ASSESSMENT not in choices  # the current stage is not offered
    assert Stage.SUSTAINABILITY in choices


# Coaches -----------------------------------------------------------------------------------


def test_an_admin_assigns_a_coach_from_the_programs_coaches(client, world):
    client.force_login(world.admin)
    offered = client.get(url("detail", world, pk=world.practice.pk)).context["coach_form"]
    assert list(offered.fields["coach"].queryset) == [world.other_coach]

    response = client.post(
        url("coach_assign", world, pk=world.practice.pk), {"coach": world.other_coach.pk}
    )

    assert response.status_code == 302
    assert count(world, CoachAssignment, practice=world.practice) == 2


def test_a_coach_of_another_program_is_refused_on_the_form(client, world, other_world):
    client.force_login(world.admin)

    response = client.post(
        url("coach_assign", world, pk=world.practice.pk), {"coach": other_world.coach.pk}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["coach"] == ["Choose one of this program's coaches."]
    assert count(world, CoachAssignment, practice=world.practice) == 1


def test_someone_without_the_coach_role_is_refused_on_the_form(client, world):
    client.force_login(world.admin)

    response = client.post(
        url("coach_assign", world, pk=world.practice.pk), {"coach": world.manager.pk}
    )

    assert "coach" in response.context["form"].errors
    assert count(world, CoachAssignment, practice=world.practice) == 1


def test_an_admin_unassigns_a_coach_after_confirming(client, world):
    with program_scope(world.program):
        assignment = CoachAssignment.objects.get(practice=world.practice)
    page = url(
        "coach_unassign", world, practice_pk=world.practice.pk, coachassignment_pk=assignment.pk
    )
    client.force_login(world.admin)

    confirm = client.get(page)
    response = client.post(page)

    assert world.coach.full_name in confirm.content.decode()
    assert response.status_code == 302
    assert count(world, CoachAssignment, practice=world.practice) == 0


def test_an_assignment_of_another_practice_answers_404_through_this_practice(client, world):
    with program_scope(world.program):
        elsewhere = CoachAssignment.objects.get(practice=world.other_practice)
    client.force_login(world.admin)

    response = client.post(
        url("coach_unassign", world, practice_pk=world.practice.pk, coachassignment_pk=elsewhere.pk)
    )

    assert response.status_code == 404
    assert count(world, CoachAssignment, pk=elsewhere.pk) == 1


@pytest.mark.parametrize("who", ["coach", "manager", "lead"])
def test_only_admins_assign_and_unassign_coaches(client, world, who):
    with program_scope(world.program):
        assignment = CoachAssignment.objects.get(practice=world.practice)
    client.force_login(world.user(who))

    assign = client.post(
        url("coach_assign", world, pk=world.practice.pk), {"coach": world.other_coach.pk}
    )
    unassign = client.post(
        url(
            "coach_unassign", world, practice_pk=world.practice.pk, coachassignment_pk=assignment.pk
        )
    )

    assert (assign.status_code, unassign.status_code) == (403, 403)
    assert count(world, CoachAssignment, practice=world.practice) == 1


# Members -----------------------------------------------------------------------------------


def member_remove_url(world, membership):
    return url(
        "member_remove",
        world,
        practice_pk=membership.practice_id,
        practicemembership_pk=membership.pk,
    )


def staff_membership(world):
    with program_scope(world.program):
        return PracticeMembership.objects.get(practice=world.practice, user=world.staff)


@pytest.mark.parametrize("who", ["admin", "lead"])
def test_the_admin_and_the_lead_remove_a_member(client, world, who):
    membership = staff_membership(world)
    client.force_login(world.user(who))

    confirm = client.get(member_remove_url(world, membership))
    response = client.post(member_remove_url(world, membership))

    assert world.staff.full_name in confirm.content.decode()
    assert response.status_code == 302
    assert count(world, PracticeMembership, pk=membership.pk) == 0


def test_a_removed_member_no_longer_sees_the_practice(client, world):
    membership = staff_membership(world)
    client.force_login(world.lead)
    client.post(member_remove_url(world, membership))

    client.force_login(world.staff)

    assert client.get(url("detail", world, pk=world.practice.pk)).status_code == 404


@pytest.mark.parametrize("who", ["staff", "coach", "manager"])
def test_others_may_not_remove_members(client, world, who):
    membership = staff_membership(world)
    client.force_login(world.user(who))

    response = client.post(member_remove_url(world, membership))

    assert response.status_code == 403
    assert count(world, PracticeMembership, pk=membership.pk) == 1


def test_a_lead_cannot_remove_someone_from_another_practice(client, world):
    with program_scope(world.program):
        other = PracticeMembership.objects.create(
            program=world.program, practice=world.other_practice, user=world.manager
        )
    client.force_login(world.lead)

    response = client.post(
        url(
            "member_remove",
            world,
            practice_pk=world.other_practice.pk,
            practicemembership_pk=other.pk,
        )
    )

    assert response.status_code == 404
    assert count(world, PracticeMembership, pk=other.pk) == 1


def test_a_refused_action_explains_itself_in_the_site_layout(client, world):
    client.force_login(world.manager)

    response = client.get(
        f"/p/{world.program.slug}/practices/{world.practice.pk}/edit/", follow=False
    )

    assert response.status_code == 403
    assert b"Not allowed" in response.content
    assert b"Back to North PSP" in response.content
