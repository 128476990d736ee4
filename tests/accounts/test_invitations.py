"""Invitations: inviting, the email and its link, accepting as a new or an existing person, and
links that no longer work."""

from datetime import timedelta
from smtplib import SMTPException

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from practices.models import PracticeMembership
from psp.accounts import services
from psp.accounts.models import Invitation
from psp.accounts.tasks import send_invitation
from psp.tenancy.access import access_for
from psp.tenancy.models import ProgramMembership, ProgramRole
from psp.tenancy.scope import program_scope
from tests.accounts.helpers import link_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum-orchard-lantern-73"


def invite_url(world):
    return reverse("people:invite", kwargs={"program": world.program.slug})


def invite(world, by, capture, **fields):
    """Invite through the service as `by`, running the after-commit email task."""
    with program_scope(world.program), capture(execute=True):
        access = access_for(program=world.program, user=by)
        return services.invitation_create(program=world.program, access=access, **fields)


def all_invitations():
    return Invitation.all_programs.all()


def test_an_admin_invites_a_new_person_who_sets_a_password_and_lands_in_the_program(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            invite_url(world),
            {"email": "Nadia.Noor@Example.org", "role": "coach", "message": "Welcome aboard"},
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["nadia.noor@example.org"]
    assert "North PSP" in email.subject and "Coach" in email.subject
    assert "Welcome aboard" in email.body
    html = email.alternatives[0][0]
    assert link_in(email) in html
    client.logout()

    page = client.get(link_in(email))
    assert page.status_code == 200
    assert "North PSP" in page.text and "Coach" in page.text

    response = client.post(
        link_in(email),
        {"full_name": "Nadia Noor", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == world.program.get_absolute_url()
    person = get_user_model().objects.get(email="nadia.noor@example.org")
    assert person.full_name == "Nadia Noor" and person.check_password(NEW_PASSWORD)
    assert int(client.session["_auth_user_id"]) == person.pk
    membership = ProgramMembership.all_programs.get(user=person)
    assert (membership.program, membership.role) == (world.program, ProgramRole.COACH)
    invitation = all_invitations().get()
    assert invitation.accepted_by == person and invitation.status == "accepted"
    # The link reached them, so allauth may treat the address as verified.
    assert EmailAddress.objects.get(user=person).verified


def test_an_existing_person_signs_in_as_the_invited_address_before_accepting(
    client, world, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    invite(
        world, world.admin, django_capture_on_commit_callbacks, email=outsider.email, role="manager"
    )
    link = link_in(mailoutbox[0])

    anonymous = client.get(link)
    assert "Sign in to accept" in anonymous.text
    assert "password1" not in anonymous.text
    # Holding the link is not enough to take over an existing account.
    data = {"full_name": "X", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post(link, data).status_code == 200
    outsider.refresh_from_db()
    assert outsider.check_password(PASSWORD)
    assert not ProgramMembership.all_programs.filter(user=outsider).exists()

    client.force_login(world.coach)
    wrong = client.post(link)
    assert f"this invitation is for {outsider.email}" in wrong.text
    assert not ProgramMembership.all_programs.filter(user=outsider).exists()

    client.force_login(outsider)
    assert "Accept and join North PSP" in client.get(link).text
    response = client.post(link)
    assert response.status_code == 302
    assert ProgramMembership.all_programs.get(user=outsider).role == ProgramRole.MANAGER
    outsider.refresh_from_db()
    assert outsider.last_program == world.program
    assert EmailAddress.objects.get(user=outsider).verified


def test_a_practice_invitation_makes_the_person_staff_of_that_practice(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    invite(
        world,
        world.admin,
        django_capture_on_commit_callbacks,
        email="pat@example.org",
        role="practice",
        practice=world.practice,
        practice_role="staff",
    )
    assert f"Practice staff at {world.practice.name}" in mailoutbox[0].body
    client.post(
        link_in(mailoutbox[0]),
        {"full_name": "Pat Porter", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    person = get_user_model().objects.get(email="pat@example.org")
    assert ProgramMembership.all_programs.get(user=person).role == ProgramRole.PRACTICE
    place = PracticeMembership.all_programs.get(user=person)
    assert (place.practice, place.role, place.program) == (world.practice, "staff", world.program)


def test_a_new_persons_password_must_pass_the_password_rules(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    invite(
        world, world.admin, django_capture_on_commit_callbacks, email="w@example.org", role="coach"
    )
    response = client.post(
        link_in(mailoutbox[0]), {"full_name": "Wes", "password1": "12345", "password2": "12345"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "password1" in errors and "too short" in " ".join(errors["password1"])
    assert 'id="id_password1_error"' in response.text
    assert not get_user_model().objects.filter(email="w@example.org").exists()
    assert all_invitations().get().status == "pending"


@pytest.mark.parametrize(
    ("spoil", "status_code", "heading"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, 410, "has expired"),
        ({"revoked_at": timezone.now()}, 410, "was withdrawn"),
    ],
)
def test_an_expired_or_revoked_link_shows_a_clear_page_and_grants_nothing(
    client, world, mailoutbox, django_capture_on_commit_callbacks, spoil, status_code, heading
):
    invite(
        world, world.admin, django_capture_on_commit_callbacks, email="e@example.org", role="coach"
    )
    all_invitations().update(**spoil)
    link = link_in(mailoutbox[0])
    for response in (
        client.get(link),
        client.post(link, {"full_name": "E", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}),
    ):
        assert response.status_code == status_code
        assert heading in response.text
    assert not get_user_model().objects.filter(email="e@example.org").exists()


def test_a_used_link_cannot_be_used_again(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    invite(
        world, world.admin, django_capture_on_commit_callbacks, email="u@example.org", role="coach"
    )
    link = link_in(mailoutbox[0])
    data = {"full_name": "Uma", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post(link, data).status_code == 302
    client.logout()
    again = client.get(link)
    assert again.status_code == 410
    assert "already been used" in again.text


def test_an_unknown_link_answers_not_found_with_an_explanation(client, db):
    response = client.get(reverse("invitations:accept", kwargs={"token": "not-a-real-token"}))
    assert response.status_code == 404
    assert "does not work" in response.text


def test_a_lead_invites_into_their_own_practice_but_not_into_another(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.lead)
    form = client.get(invite_url(world), {"practice": world.practice.pk})
    assert form.status_code == 200
    assert world.practice.name in form.text and world.other_practice.name not in form.text
    assert f'<option value="{world.practice.pk}" selected>' in form.text

    with django_capture_on_commit_callbacks(execute=True):
        own = client.post(
            invite_url(world),
            {
                "email": "sam@example.org",
                "role": "practice",
                "practice": world.practice.pk,
                "practice_role": "staff",
            },
        )
        other = client.post(
            invite_url(world),
            {
                "email": "tom@example.org",
                "role": "practice",
                "practice": world.other_practice.pk,
                "practice_role": "staff",
            },
        )
    # Back to the practice's people page, where the lead follows their invitations.
    people = reverse(
        "practices:people", kwargs={"program": world.program.slug, "pk": world.practice.pk}
    )
    assert own.status_code == 302 and own.url == people
    assert other.status_code == 200 and "practice" in other.context["form"].errors
    assert list(all_invitations().values_list("email", "practice")) == [
        ("sam@example.org", world.practice.pk)
    ]

    with program_scope(world.program), pytest.raises(PermissionDenied):
        services.invitation_create(
            program=world.program,
            access=access_for(program=world.program, user=world.lead),
            email="tom@example.org",
            role="practice",
            practice=world.other_practice,
            practice_role="staff",
        )


def test_a_lead_cannot_invite_into_a_program_role(world):
    with program_scope(world.program), pytest.raises(PermissionDenied):
        services.invitation_create(
            program=world.program,
            access=access_for(program=world.program, user=world.lead),
            email="boss@example.org",
            role="admin",
        )


@pytest.mark.parametrize("role", ["coach", "manager", "staff"])
def test_only_admins_and_leads_may_open_the_invitation_form(client, world, role):
    client.force_login(world.user(role))
    assert client.get(invite_url(world)).status_code == 403
    posted = client.post(invite_url(world), {"email": "x@example.org", "role": "coach"})
    assert posted.status_code == 403
    assert not all_invitations().exists()


def test_an_invalid_invitation_form_shows_errors_beside_the_fields_and_creates_nothing(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(world), {"email": "not-an-email", "role": "practice"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"email", "practice", "practice_role"}
    for field in errors:
        assert f'id="id_{field}_error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert not all_invitations().exists()
    assert mailoutbox == []


def test_inviting_a_current_member_again_is_refused_beside_the_email_field(client, world):
    client.force_login(world.admin)
    response = client.post(invite_url(world), {"email": world.coach.email, "role": "manager"})
    assert response.status_code == 200
    assert "already a member" in " ".join(response.context["form"].errors["email"])
    assert not all_invitations().exists()


def test_the_email_task_is_written_to_the_outbox_and_sent_after_commit_with_ids_only(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    from psp.outbox import relay
    from psp.outbox.models import OutboxMessage

    sent = []
    monkeypatch.setattr(relay, "_send", lambda message: sent.append(message.kwargs))
    with program_scope(world.program), django_capture_on_commit_callbacks() as callbacks:
        invitation = services.invitation_create(
            program=world.program,
            access=access_for(program=world.program, user=world.admin),
            email="ids@example.org",
            role="coach",
        )
        # Written in the invitation's transaction; nothing reaches the broker before commit.
        assert OutboxMessage.objects.get().kwargs == {"invitation_id": invitation.pk}
        assert sent == []
    for callback in callbacks:
        callback()
    assert sent == [{"invitation_id": invitation.pk}]


def test_running_the_email_task_twice_sends_one_email(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with program_scope(world.program), django_capture_on_commit_callbacks():
        invitation = services.invitation_create(
            program=world.program,
            access=access_for(program=world.program, user=world.admin),
            email="twice@example.org",
            role="coach",
        )
    send_invitation.apply(kwargs={"program_id": world.program.pk, "invitation_id": invitation.pk})
    send_invitation.apply(kwargs={"program_id": world.program.pk, "invitation_id": invitation.pk})
    assert len(mailoutbox) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    # The link in the one email is the one the stored hash belongs to.
    token = link_in(mailoutbox[0]).split("/")[2]
    assert invitation.token_hash == Invitation.hash_token(token)


def test_resending_issues_a_new_link_and_voids_the_old_one(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    invite(
        world, world.admin, django_capture_on_commit_callbacks, email="r@example.org", role="coach"
    )
    invitation = all_invitations().get()
    with program_scope(world.program), django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(
            program=world.program,
            access=access_for(program=world.program, user=world.admin),
            invitation=invitation,
        )
    assert len(mailoutbox) == 2
    old, new = link_in(mailoutbox[0]), link_in(mailoutbox[1])
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_a_failed_send_is_recorded_where_the_admin_can_see_it(
    world, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    with program_scope(world.program), django_capture_on_commit_callbacks():
        invitation = services.invitation_create(
            program=world.program,
            access=access_for(program=world.program, user=world.admin),
            email="bounce@example.org",
            role="coach",
        )

    def refuse(self, *args, **kwargs):
        raise SMTPException("mail server said no")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with program_scope(world.program), pytest.raises(SMTPException):
        services.invitation_send(program=world.program, invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.sent_at is None
    assert "mail server said no" in invitation.send_error


def test_an_invitation_link_belongs_to_its_own_program_only(
    client, world, other_world, mailoutbox, django_capture_on_commit_callbacks
):
    invite(
        other_world,
        other_world.admin,
        django_capture_on_commit_callbacks,
        email="south@example.org",
        role="coach",
    )
    client.post(
        link_in(mailoutbox[0]),
        {"full_name": "Sol", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    person = get_user_model().objects.get(email="south@example.org")
    assert [m.program for m in ProgramMembership.all_programs.filter(user=person)] == [
        other_world.program
    ]
    client.force_login(person)
    assert client.get(world.program.get_absolute_url()).status_code == 404


def test_an_invitation_saved_while_the_broker_was_down_is_emailed_by_the_relay(
    client, world, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    from kombu.exceptions import OperationalError

    from psp.outbox import relay

    def broker_down(message):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    client.force_login(world.admin)
    with monkeypatch.context() as patch:
        patch.setattr(relay, "_send", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                invite_url(world), {"email": "late@example.org", "role": "coach"}
            )
        # The page still worked and the invitation is kept, waiting to be sent.
        assert response.status_code == 302
        assert mailoutbox == []
        invitation = all_invitations().get(email="late@example.org")
        assert invitation.sent_at is None
        assert relay.relay_due() == 0

    # The broker is back: the relay sends it, once.
    assert relay.relay_due() == 1
    assert relay.relay_due() == 0

    assert [email.to for email in mailoutbox] == [["late@example.org"]]
