"""The daily digest: once the program's local hour reaches its digest hour, one email per person
listing what waited for it, sent once however often the digests are asked for."""

from datetime import UTC, date, datetime

import pytest
from django.core import mail

from psp.notifications.models import Digest, Notification
from psp.notifications.registry import Due
from psp.notifications.services import (
    digest_send,
    digests_send_due,
    notification_mark_read,
    notifications_scan,
    notify,
)
from psp.tenancy.models import ProgramRole
from psp.tenancy.scope import program_scope
from tests.factories import MembershipFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def digests(program, capture, now) -> int:
    with program_scope(program), capture(execute=True):
        return digests_send_due(program=program, now=now)


def test_the_digest_goes_out_at_the_digest_hour_once_listing_what_waited(
    world, reminders, django_capture_on_commit_callbacks, settings
):
    settings.PSP_SITE_URL = "https://psp.example.org"
    capture = django_capture_on_commit_callbacks
    with program_scope(world.program), capture(execute=True):
        notifications_scan(program=world.program, now=datetime(2026, 12, 3, 1, tzinfo=UTC))
    mail.outbox.clear()  # the check-ins, emailed at once

    before = digests(world.program, capture, datetime(2026, 12, 3, 6, 59, tzinfo=UTC))
    at_seven = digests(world.program, capture, datetime(2026, 12, 3, 7, 0, tzinfo=UTC))
    later = digests(world.program, capture, datetime(2026, 12, 3, 7, 15, tzinfo=UTC))

    assert (before, at_seven, later) == (0, 2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.coach.email, world.other_coach.email]
    )
    message = next(m for m in mail.outbox if m.to == [world.coach.email])
    assert message.subject == "North PSP: 1 notification today"
    html = message.alternatives[0][0]
    for text in (message.body, html):
        assert "Hello Coach of North PSP," in text
        assert f"{world.practice.name} has news" in text
        assert f"https://psp.example.org/p/north-psp/practices/{world.practice.pk}/" in text
        assert "https://psp.example.org/p/north-psp/notifications/settings/" in text
    with program_scope(world.program):
        row = Notification.objects.get(recipient=world.coach)
        assert row.emailed_at is not None
        assert row.digest.day == date(2026, 12, 3) and row.digest.sent_at is not None


def test_what_arrives_after_the_days_digest_waits_for_the_next_one(
    world, reminders, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    for hour in (8, 9):  # a note recorded at 8:00, then another at 9:00
        at = datetime(2026, 12, 3, hour, tzinfo=UTC)
        with program_scope(world.program), capture(execute=True):
            note = notify(
                program=world.program,
                due=Due(
                    kind="coach_note",
                    key=f"coach_note:hour:{hour}",
                    title=f"Note at {hour}",
                    url="",
                    recipient_id=world.coach.pk,
                ),
            )
            Notification.objects.filter(pk=note.pk).update(created_at=at)
        digests(world.program, capture, at)
    tomorrow = digests(world.program, capture, datetime(2026, 12, 4, 7, tzinfo=UTC))

    assert tomorrow == 1
    assert [m.subject for m in mail.outbox] == [
        "North PSP: 1 notification today",
        "North PSP: 1 notification today",
    ]
    assert "Note at 9" in mail.outbox[1].body


def test_what_was_read_in_the_app_is_not_emailed_again(
    world, reminders, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with program_scope(world.program), capture(execute=True):
        notifications_scan(program=world.program, now=datetime(2026, 12, 3, 1, tzinfo=UTC))
        note = Notification.objects.get(recipient=world.coach)
        notification_mark_read(program=world.program, user=world.coach, notification_id=note.pk)
    mail.outbox.clear()

    digests(world.program, capture, datetime(2026, 12, 3, 7, tzinfo=UTC))

    assert [m.to for m in mail.outbox] == [[world.other_coach.email]]


def test_a_digest_sent_twice_is_sent_once(world, reminders, django_capture_on_commit_callbacks):
    with program_scope(world.program), django_capture_on_commit_callbacks(execute=True):
        notifications_scan(program=world.program)
    mail.outbox.clear()

    with program_scope(world.program):
        today = world.program.local_today()
        first = digest_send(program=world.program, user_id=world.coach.pk, day=today)
        second = digest_send(program=world.program, user_id=world.coach.pk, day=today)
        assert Digest.objects.filter(user=world.coach).count() == 1

    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1


def _program_in(zone: str, slug: str):
    program = ProgramFactory(slug=slug, name=slug.title(), time_zone=zone, digest_hour=7)
    coach = UserFactory(email=f"coach@{slug}.example.org", full_name=f"Coach of {slug}")
    MembershipFactory(program=program, user=coach, role=ProgramRole.COACH)
    with program_scope(program):
        note = notify(
            program=program,
            due=Due(
                kind="coach_note",
                key="coach_note:welcome",
                title="Welcome",
                url="",
                recipient_id=coach.pk,
            ),
        )
        # Recorded the day before the instants below.
        Notification.objects.filter(pk=note.pk).update(created_at=datetime(2026, 6, 14, tzinfo=UTC))
    return program, coach


def test_the_digest_hour_is_each_programs_own(reminders, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    auckland, auckland_coach = _program_in("Pacific/Auckland", "auckland")
    vancouver, vancouver_coach = _program_in("America/Vancouver", "vancouver")
    # 15:00 UTC on 15 June: 08:00 in Vancouver, 03:00 on 16 June in Auckland.
    afternoon = datetime(2026, 6, 15, 15, tzinfo=UTC)
    # 19:30 UTC: 07:30 on 16 June in Auckland.
    evening = datetime(2026, 6, 15, 19, 30, tzinfo=UTC)

    sent_at_afternoon = (
        digests(auckland, capture, afternoon),
        digests(vancouver, capture, afternoon),
    )
    recipients_then = [m.to[0] for m in mail.outbox]
    sent_at_evening = (digests(auckland, capture, evening), digests(vancouver, capture, evening))

    assert sent_at_afternoon == (0, 1)
    assert recipients_then == [vancouver_coach.email]
    assert sent_at_evening == (1, 0)
    with program_scope(auckland):
        assert Digest.objects.get().day == date(2026, 6, 16)
    with program_scope(vancouver):
        assert Digest.objects.get().day == date(2026, 6, 15)
