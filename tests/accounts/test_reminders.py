"""The reminder of an invitation not accepted after three days (psp/accounts/reminders.py): found
once per invitation, emailed by the accounts app itself with a fresh link
(services.invitation_remind), never twice."""

from dataclasses import dataclass
from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.utils import timezone

from psp.accounts import services
from psp.accounts.models import Invitation, PracticeRole
from psp.accounts.reminders import (
    INVITATION_UNACCEPTED,
    invitation_id_of,
    invitations_unaccepted,
    send_invitation_reminder,
)
from psp.notifications.registry import registry
from psp.tenancy.models import ProgramRole
from psp.tenancy.scope import program_scope
from tests.accounts.helpers import link_in
from tests.reminder_helpers import TODAY, noon, queries_of, run

pytestmark = pytest.mark.django_db
NOW = noon(TODAY)


@dataclass
class Notice:
    """What the hook reads of the notifications app's record: its key."""

    key: str


def invitation(world, *, sent_days_ago=4, email="nadia.ross@example.org", **extra) -> Invitation:
    sent_at = NOW - timedelta(days=sent_days_ago) if sent_days_ago is not None else None
    fields = {
        "email": email,
        "role": ProgramRole.COACH,
        "token_hash": Invitation.hash_token(email + str(sent_days_ago)),
        "invited_by": world.admin,
        "sent_at": sent_at,
        # Far enough ahead for the tests run on the real clock (the hook) to find it pending.
        "expires_at": timezone.now() + timedelta(days=10),
        **extra,
    }
    with program_scope(world.program):
        return Invitation.objects.create(program=world.program, **fields)


def test_an_invitation_pending_three_days_reminds_the_invitee_once(world):
    pending = invitation(
        world, practice=world.practice, role=ProgramRole.PRACTICE, practice_role=PracticeRole.STAFF
    )
    (due,) = run(invitations_unaccepted, world.program, now=NOW)
    assert due.kind == "invitation_unaccepted"
    assert due.key == f"invitation_unaccepted:{pending.pk}"
    assert (due.recipient_id, due.email) == (None, "nadia.ross@example.org")
    assert due.title == "Reminder: your invitation to North PSP"
    assert due.body == (
        "You were invited on 29 November 2026 to join North PSP as Practice staff at "
        "North PSP Health Centre."
    )
    assert due.url == "/p/north-psp/people/"
    assert due.practice_id == world.practice.pk
    # The same scan again: the same key, so the notifications app records nothing new.
    assert [d.key for d in run(invitations_unaccepted, world.program, now=NOW)] == [due.key]


def test_exactly_three_days_counts_and_fewer_does_not(world):
    invitation(world, sent_days_ago=3)
    invitation(world, sent_days_ago=2, email="later@example.org")
    invitation(world, sent_days_ago=None, email="queued@example.org")  # not sent yet
    assert [d.email for d in run(invitations_unaccepted, world.program, now=NOW)] == [
        "nadia.ross@example.org"
    ]


def test_accepted_revoked_expired_and_reminded_invitations_give_nothing(world):
    invitation(world, email="a@example.org", accepted_at=NOW)
    invitation(world, email="b@example.org", revoked_at=NOW)
    invitation(world, email="c@example.org", expires_at=NOW - timedelta(minutes=1))
    invitation(world, email="d@example.org", reminded_at=NOW - timedelta(days=1))
    assert run(invitations_unaccepted, world.program, now=NOW) == []


def test_other_programs_invitations_stay_apart(world, other_world):
    invitation(world)
    invitation(other_world, email="south@example.org")
    assert [d.email for d in run(invitations_unaccepted, world.program, now=NOW)] == [
        "nadia.ross@example.org"
    ]
    (south,) = run(invitations_unaccepted, other_world.program, now=NOW)
    assert south.email == "south@example.org" and south.url == "/p/south-psp/people/"


def test_one_query_however_many_invitations(world):
    for n in range(2):
        invitation(world, email=f"first{n}@example.org")
    small = queries_of(invitations_unaccepted, world.program)
    for n in range(4):
        invitation(world, email=f"more{n}@example.org")
    assert len(run(invitations_unaccepted, world.program, now=NOW)) == 6
    assert queries_of(invitations_unaccepted, world.program) == small == 1


# The kind's own email -----------------------------------------------------------------------


def test_the_kind_is_email_only_with_its_own_email():
    kind = registry.kinds["invitation_unaccepted"]
    assert kind is INVITATION_UNACCEPTED
    assert kind.email_only and kind.send is send_invitation_reminder
    assert invitation_id_of("invitation_unaccepted:42") == 42
    with pytest.raises(ValueError):
        invitation_id_of("visit_tomorrow:42")


def test_the_reminder_carries_a_fresh_link_that_works_and_the_old_one_stops(
    client, world, mailoutbox
):
    pending = invitation(world, sent_days_ago=4)
    old_hash = pending.token_hash
    send_invitation_reminder(world.program, Notice(f"invitation_unaccepted:{pending.pk}"))
    (email,) = mailoutbox
    assert email.to == ["nadia.ross@example.org"]
    assert email.subject == "Reminder: you are invited to North PSP as Coach"
    assert "This is a reminder: the invitation, sent on 29 November 2026" in email.body
    assert "reminder" in email.alternatives[0][0]
    link = link_in(email)
    assert client.get(link).status_code == 200
    assert Invitation.hash_token(link.strip("/").rsplit("/", 1)[1]) != old_hash
    assert services.invitation_by_token(link.strip("/").rsplit("/", 1)[1]).pk == pending.pk
    with program_scope(world.program):
        pending.refresh_from_db()
    assert pending.reminded_at is not None
    assert pending.token_hash != old_hash
    assert pending.expires_at > timezone.now()  # the invitation's expiry is kept


def test_a_reminder_is_sent_once_and_not_for_an_invitation_accepted_meanwhile(world, mailoutbox):
    pending = invitation(world)
    accepted = invitation(world, email="quick@example.org")
    with program_scope(world.program):
        Invitation.objects.filter(pk=accepted.pk).update(accepted_at=timezone.now())
    for _ in range(2):
        send_invitation_reminder(world.program, Notice(f"invitation_unaccepted:{pending.pk}"))
        send_invitation_reminder(world.program, Notice(f"invitation_unaccepted:{accepted.pk}"))
    assert [email.to for email in mailoutbox] == [["nadia.ross@example.org"]]
    assert run(invitations_unaccepted, world.program, now=NOW) == []


def test_a_refused_email_leaves_the_invitation_to_be_reminded_on_the_retry(
    world, mailoutbox, monkeypatch
):
    pending = invitation(world)

    def refuse(*args, **kwargs):
        raise SMTPException("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(SMTPException):
        send_invitation_reminder(world.program, Notice(f"invitation_unaccepted:{pending.pk}"))
    with program_scope(world.program):
        pending.refresh_from_db()
    assert pending.reminded_at is None
    monkeypatch.undo()
    send_invitation_reminder(world.program, Notice(f"invitation_unaccepted:{pending.pk}"))
    assert len(mailoutbox) == 1
