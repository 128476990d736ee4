"""A practice's people page: a lead sees who belongs to their practice and as what, follows the
invitations into it (send again, revoke), invites a colleague and takes people out, never
themselves; every message after an action is on a page the lead can open."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practices.models import PracticeMembership
from psp.accounts.models import Invitation
from psp.tenancy.scope import program_scope
from tests.factories import PracticeMembershipFactory, UserFactory
from tests.tenancy.builders import invitation_in

pytestmark = pytest.mark.django_db


def people_url(world, practice=None):
    practice = practice or world.practice
    return reverse("practices:people", kwargs={"program": world.program.slug, "pk": practice.pk})


def invitation_url(world, action, invitation):
    return reverse(
        f"practices:invitation_{action}",
        kwargs={
            "program": world.program.slug,
            "practice_pk": invitation.practice_id,
            "invitation_pk": invitation.pk,
        },
    )


def waiting_invitation(world, practice=None):
    with program_scope(world.program):
        return invitation_in(world, practice=practice)


def membership_of(world, user):
    with program_scope(world.program):
        return PracticeMembership.objects.get(practice=world.practice, user=user)


def remove_url(world, membership):
    return reverse(
        "practices:member_remove",
        kwargs={
            "program": world.program.slug,
            "practice_pk": membership.practice_id,
            "practicemembership_pk": membership.pk,
        },
    )


def test_the_lead_sees_the_practices_people_with_roles_and_the_waiting_invitations(client, world):
    invitation = waiting_invitation(world)
    client.force_login(world.lead)

    page = client.get(people_url(world))

    assert page.status_code == 200
    text = page.text
    assert world.lead.full_name in text and world.staff.full_name in text
    assert "Practice lead" in text and "Practice staff" in text
    assert invitation.email in text
    assert f'action="{invitation_url(world, "resend", invitation)}"' in text
    assert f'action="{invitation_url(world, "revoke", invitation)}"' in text
    invite = reverse("people:invite", kwargs={"program": world.program.slug})
    assert f'href="{invite}?practice={world.practice.pk}"' in text
    # Remove for the colleague, never for the lead themselves.
    assert remove_url(world, membership_of(world, world.staff)) in text
    assert remove_url(world, membership_of(world, world.lead)) not in text


def test_the_practice_page_links_the_people_page_for_the_lead_and_not_for_staff(client, world):
    detail = reverse(
        "practices:detail", kwargs={"program": world.program.slug, "pk": world.practice.pk}
    )
    client.force_login(world.lead)
    assert f'href="{people_url(world)}"' in client.get(detail).text
    client.force_login(world.staff)
    assert f'href="{people_url(world)}"' not in client.get(detail).text


@pytest.mark.parametrize("action", ["resend", "revoke"])
def test_the_lead_sends_again_or_revokes_and_lands_back_on_the_page(client, world, action):
    invitation = waiting_invitation(world)
    client.force_login(world.lead)

    response = client.post(invitation_url(world, action, invitation), follow=True)

    assert response.redirect_chain[-1][0] == people_url(world)
    assert response.status_code == 200
    assert invitation.email in " ".join(str(m) for m in response.context["messages"])
    with program_scope(world.program):
        invitation.refresh_from_db()
    if action == "revoke":
        assert invitation.revoked_at is not None
        assert invitation.email not in response.text.split('id="invitations-title"', 1)[1]
    else:
        assert invitation.revoked_at is None and invitation.sent_at is None


def test_an_invitation_into_another_practice_is_out_of_the_leads_reach(client, world):
    invitation = waiting_invitation(world, practice=world.other_practice)
    client.force_login(world.lead)

    assert client.post(invitation_url(world, "revoke", invitation)).status_code == 404
    with program_scope(world.program):
        assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_the_leads_invitation_ends_on_their_practices_people_page(client, world, mailoutbox):
    client.force_login(world.lead)
    invite = reverse("people:invite", kwargs={"program": world.program.slug})
    form = client.get(f"{invite}?practice={world.practice.pk}")
    assert f'href="{people_url(world)}"' in form.text

    response = client.post(
        f"{invite}?practice={world.practice.pk}",
        {
            "email": "new.colleague@example.org",
            "role": "practice",
            "practice": world.practice.pk,
            "practice_role": "staff",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == people_url(world)
    assert response.status_code == 200
    assert "new.colleague@example.org" in response.text


def test_removing_a_colleague_returns_to_the_people_page(client, world):
    membership = membership_of(world, world.staff)
    client.force_login(world.lead)

    response = client.post(remove_url(world, membership), follow=True)

    assert response.redirect_chain[-1][0] == people_url(world)
    assert world.staff.full_name not in response.text.split("People of", 1)[1]


def test_the_lead_cannot_remove_themselves(client, world):
    membership = membership_of(world, world.lead)
    client.force_login(world.lead)

    response = client.post(remove_url(world, membership))

    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["You cannot remove yourself from a practice; ask a program admin."]
    with program_scope(world.program):
        assert PracticeMembership.objects.filter(pk=membership.pk).exists()


def test_the_page_costs_the_same_queries_however_many_people_and_invitations(client, world):
    client.force_login(world.lead)
    client.get(people_url(world))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(people_url(world))
    with program_scope(world.program):
        for n in range(4):
            PracticeMembershipFactory(
                program=world.program, practice=world.practice, user=UserFactory()
            )
            Invitation.objects.create(
                email=f"more{n}@example.org",
                role="practice",
                practice=world.practice,
                practice_role="staff",
                token_hash=Invitation.hash_token(f"more-{n}"),
                invited_by=world.lead,
                expires_at=timezone.now() + timedelta(days=7),
            )
    with CaptureQueriesContext(connection) as many:
        client.get(people_url(world))
    assert len(many) == len(few)
