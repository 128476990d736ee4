"""The people page: who sees it, what it shows, and what admins can do from it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from psp.accounts import services
from psp.accounts.models import ApiToken, Invitation
from psp.tenancy.access import access_for
from psp.tenancy.models import ProgramMembership, ProgramRole
from psp.tenancy.scope import program_scope
from tests.factories import (
    MembershipFactory,
    PracticeMembershipFactory,
    UserFactory,
    api_token_for,
)

pytestmark = pytest.mark.django_db


def people_url(world):
    return reverse("people:list", kwargs={"program": world.program.slug})


def make_invitation(world, **fields):
    with program_scope(world.program):
        defaults = {
            "email": "ivy@example.org",
            "role": ProgramRole.COACH,
            "token_hash": Invitation.hash_token(f"t-{fields.get('email', 'ivy')}"),
            "invited_by": world.admin,
            "expires_at": timezone.now() + timedelta(days=3),
        }
        return Invitation.objects.create(**{**defaults, **fields})


def membership(world, user):
    return ProgramMembership.all_programs.get(program=world.program, user=user)


def test_admins_see_members_with_practices_and_invitations_with_their_status(client, world):
    make_invitation(world, email="ivy@example.org", sent_at=timezone.now())
    make_invitation(world, email="old@example.org", expires_at=timezone.now())
    make_invitation(world, email="failed@example.org", send_error="SMTPException: refused")
    client.force_login(world.admin)
    response = client.get(people_url(world))
    assert response.status_code == 200
    page = response.text
    for person in (world.admin, world.manager, world.coach, world.lead, world.staff):
        assert person.email in page
    assert f'{world.practice.name} <span class="badge">Practice lead</span>' in page
    rows = {i.email: i.status for i in response.context["invitations"]}
    assert rows == {
        "ivy@example.org": "pending",
        "old@example.org": "expired",
        "failed@example.org": "pending",
    }
    assert "Send failed" in page and "SMTPException: refused" in page
    assert "Invite someone" in page and "Deactivate" in page


def test_managers_see_the_page_but_none_of_the_admin_actions(client, world):
    make_invitation(world)
    client.force_login(world.manager)
    response = client.get(people_url(world))
    assert response.status_code == 200
    assert "ivy@example.org" in response.text
    for action in ("Invite someone", "Deactivate…", "Revoke", "Resend", 'name="role"'):
        assert action not in response.text


@pytest.mark.parametrize("role", ["coach", "lead", "staff"])
def test_coaches_and_practice_people_are_refused_the_people_page(client, world, role):
    client.force_login(world.user(role))
    assert client.get(people_url(world)).status_code == 403


def test_outsiders_and_other_programs_admins_get_not_found(client, world, other_world, outsider):
    for person in (outsider, other_world.admin):
        client.force_login(person)
        assert client.get(people_url(world)).status_code == 404


def test_the_people_page_costs_the_same_queries_however_many_members(client, world):
    client.force_login(world.admin)
    client.get(people_url(world))  # warm up: session, content types

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(people_url(world)).status_code == 200
        return len(captured)

    before = queries()
    for n in range(5):
        person = UserFactory(email=f"extra{n}@example.org")
        MembershipFactory(program=world.program, user=person, role=ProgramRole.PRACTICE)
        PracticeMembershipFactory(program=world.program, practice=world.practice, user=person)
        make_invitation(world, email=f"inv{n}@example.org")
    assert queries() == before


def test_an_admin_changes_a_coach_into_a_manager(client, world):
    client.force_login(world.admin)
    place = membership(world, world.coach)
    url = reverse(
        "people:member_role",
        kwargs={"program": world.program.slug, "programmembership_pk": place.pk},
    )
    assert client.post(url, {"role": "manager"}).status_code == 302
    place.refresh_from_db()
    assert place.role == ProgramRole.MANAGER


def test_a_manager_cannot_change_roles(client, world):
    client.force_login(world.manager)
    place = membership(world, world.coach)
    url = reverse(
        "people:member_role",
        kwargs={"program": world.program.slug, "programmembership_pk": place.pk},
    )
    assert client.post(url, {"role": "admin"}).status_code == 403
    place.refresh_from_db()
    assert place.role == ProgramRole.COACH


def test_a_practice_persons_role_is_not_changed_from_the_people_page(world):
    with program_scope(world.program), pytest.raises(ValidationError):
        services.membership_change_role(
            program=world.program,
            access=access_for(program=world.program, user=world.admin),
            membership=membership(world, world.lead),
            role="coach",
        )


def test_the_last_admin_cannot_step_down(world):
    with program_scope(world.program), pytest.raises(ValidationError, match="at least one"):
        services.membership_change_role(
            program=world.program,
            access=access_for(program=world.program, user=world.admin),
            membership=membership(world, world.admin),
            role="manager",
        )


def test_a_deactivated_member_loses_the_program_and_their_tokens_here(client, world):
    token, _ = api_token_for(world.program, world.coach, name="x")
    client.force_login(world.admin)
    place = membership(world, world.coach)
    url = reverse(
        "people:member_deactivate",
        kwargs={"program": world.program.slug, "programmembership_pk": place.pk},
    )
    assert client.post(url).status_code == 302
    place.refresh_from_db()
    assert not place.is_active
    assert ApiToken.all_programs.get(pk=token.pk).revoked_at is not None
    assert "Deactivated" in client.get(people_url(world)).text

    client.force_login(world.coach)
    assert client.get(world.program.get_absolute_url()).status_code == 404

    client.force_login(world.admin)
    reactivate = reverse(
        "people:member_reactivate",
        kwargs={"program": world.program.slug, "programmembership_pk": place.pk},
    )
    client.post(reactivate)
    place.refresh_from_db()
    assert place.is_active


def test_an_admin_cannot_deactivate_themselves(client, world):
    client.force_login(world.admin)
    place = membership(world, world.admin)
    url = reverse(
        "people:member_deactivate",
        kwargs={"program": world.program.slug, "programmembership_pk": place.pk},
    )
    response = client.post(url, follow=True)
    assert "cannot deactivate yourself" in response.text
    place.refresh_from_db()
    assert place.is_active


def test_an_admin_revokes_an_invitation_from_the_people_page(client, world):
    invitation = make_invitation(world)
    client.force_login(world.admin)
    url = reverse(
        "people:invitation_revoke",
        kwargs={"program": world.program.slug, "invitation_pk": invitation.pk},
    )
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "revoked"


def test_an_admin_resends_an_expired_invitation_with_a_fresh_link(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = make_invitation(world, expires_at=timezone.now(), sent_at=timezone.now())
    old_hash = invitation.token_hash
    client.force_login(world.admin)
    url = reverse(
        "people:invitation_resend",
        kwargs={"program": world.program.slug, "invitation_pk": invitation.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert invitation.token_hash != old_hash
    assert [m.to for m in mailoutbox] == [["ivy@example.org"]]


def test_a_manager_cannot_revoke_or_resend(client, world):
    invitation = make_invitation(world)
    client.force_login(world.manager)
    for name in ("people:invitation_revoke", "people:invitation_resend"):
        url = reverse(name, kwargs={"program": world.program.slug, "invitation_pk": invitation.pk})
        assert client.post(url).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_another_programs_invitation_is_not_found(client, world, other_world):
    theirs = make_invitation(other_world)
    client.force_login(world.admin)
    url = reverse(
        "people:invitation_revoke",
        kwargs={"program": world.program.slug, "invitation_pk": theirs.pk},
    )
    assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_actions_only_accept_post(client, world):
    invitation = make_invitation(world)
    client.force_login(world.admin)
    url = reverse(
        "people:invitation_revoke",
        kwargs={"program": world.program.slug, "invitation_pk": invitation.pk},
    )
    assert client.get(url).status_code == 405


def test_practice_people_read_as_lead_or_staff_and_tables_scroll_by_keyboard(client, world):
    make_invitation(world)
    client.force_login(world.admin)

    text = client.get(people_url(world)).text

    rows = {
        person: text.split(person.full_name, 1)[1].split("</tr>", 1)[0]
        for person in (world.lead, world.staff)
    }
    assert "Practice lead" in rows[world.lead] and "Practice staff" in rows[world.staff]
    assert "Practice member" not in text
    # A table wider than a phone scrolls inside a region people reach with Tab (axe:
    # scrollable-region-focusable), named apart from its section.
    assert text.count('class="table-wrap" tabindex="0" role="region" aria-label="Table of ') == 2
    assert 'aria-label="Table of members"' in text


def test_members_are_found_by_name_or_email_and_role_a_page_at_a_time(client, world):
    for n in range(51):
        person = UserFactory(email=f"member{n:02}@example.org", full_name=f"Zed Member {n:02}")
        MembershipFactory(program=world.program, user=person, role=ProgramRole.PRACTICE)
    client.force_login(world.admin)

    first = client.get(people_url(world), {"search": "zed member"})
    names = [m.user.full_name for m in first.context["members"]]
    assert len(names) == 50 and names[0] == "Zed Member 00"
    assert 'rel="next"' in first.text
    second = client.get(people_url(world), {"search": "zed member", "page": 2})
    assert [m.user.full_name for m in second.context["members"]] == ["Zed Member 50"]

    by_email = client.get(people_url(world), {"search": world.coach.email.upper()})
    assert world.coach in {m.user for m in by_email.context["members"]}
    assert world.manager not in {m.user for m in by_email.context["members"]}
    coaches = client.get(people_url(world), {"program_role": "coach"})
    assert world.coach in {m.user for m in coaches.context["members"]}
    assert {m.role for m in coaches.context["members"]} == {ProgramRole.COACH}
    nobody = client.get(people_url(world), {"search": "nobody-like-this"})
    assert nobody.context["members"] == [] and "No member matches these filters." in nobody.text


def test_deactivated_members_are_listed_apart_with_a_way_back(client, world):
    membership(world, world.coach).__class__.all_programs.filter(
        program=world.program, user=world.coach
    ).update(is_active=False)
    client.force_login(world.admin)

    active = client.get(people_url(world))
    assert world.coach not in {m.user for m in active.context["members"]}
    deactivated = client.get(people_url(world), {"status": "deactivated"})
    assert [m.user for m in deactivated.context["members"]] == [world.coach]
    assert "Reactivate" in deactivated.text
    everyone = client.get(people_url(world), {"status": "all"})
    assert world.coach in {m.user for m in everyone.context["members"]}


def test_an_unknown_status_is_named_beside_its_field_and_lists_nobody(client, world):
    client.force_login(world.admin)
    response = client.get(people_url(world), {"status": "retired"})
    assert response.status_code == 200
    assert response.context["members"] == []
    assert "Nothing is listed until this filter is fixed" in response.text
