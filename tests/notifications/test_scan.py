"""The scan: every rule asked about the program's own "today", each occasion recorded once,
and delivered as each person chose (an email at once, the daily digest, the app only)."""

from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from psp.notifications.models import Notification
from psp.notifications.registry import Due
from psp.notifications.services import (
    RuleFailed,
    digests_send_due,
    notification_preferences_set,
    notifications_scan,
    notify,
    recorded_as_delivered,
)
from psp.outbox.models import OutboxMessage
from psp.tenancy.models import ProgramMembership
from psp.tenancy.scope import program_scope
from tests.factories import PracticeMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def scan(world, capture, **kwargs) -> int:
    with program_scope(world.program), capture(execute=True):
        return notifications_scan(program=world.program, **kwargs)


def rows(world, **filters) -> list[Notification]:
    with program_scope(world.program):
        return list(Notification.objects.filter(**filters).order_by("pk"))


def sent_to(email: str) -> list:
    return [message for message in mail.outbox if message.to == [email]]


def test_a_second_scan_records_and_sends_nothing_new(
    world, reminders, django_capture_on_commit_callbacks
):
    first = scan(world, django_capture_on_commit_callbacks)
    emails = len(mail.outbox)
    second = scan(world, django_capture_on_commit_callbacks)

    # lead and staff get a check-in (email at once); the two coaches a note (digest).
    assert first == 4
    assert second == 0
    assert len(rows(world)) == 4
    assert emails == 2 and len(mail.outbox) == 2
    assert [m.to for m in mail.outbox] == [[world.lead.email], [world.staff.email]]


def test_each_person_gets_it_as_they_chose(world, reminders, django_capture_on_commit_callbacks):
    with program_scope(world.program):
        notification_preferences_set(
            program=world.program, user=world.lead, choices={"practice_checkin": "app"}
        )
        notification_preferences_set(
            program=world.program, user=world.staff, choices={"practice_checkin": "digest"}
        )
        notification_preferences_set(
            program=world.program, user=world.coach, choices={"coach_note": "immediate"}
        )

    scan(world, django_capture_on_commit_callbacks)

    deliveries = {row.recipient_id: row.delivery for row in rows(world)}
    assert deliveries == {
        world.lead.pk: "app",
        world.staff.pk: "digest",
        world.coach.pk: "immediate",
        world.other_coach.pk: "digest",  # the kind's default
    }
    assert [m.to for m in mail.outbox] == [[world.coach.email]]
    assert rows(world, recipient=world.coach)[0].emailed_at is not None
    assert all(row.emailed_at is None for row in rows(world) if row.recipient != world.coach)


def test_every_new_notification_counts_as_unread_for_its_person(
    world, reminders, django_capture_on_commit_callbacks
):
    scan(world, django_capture_on_commit_callbacks)
    scan(world, django_capture_on_commit_callbacks)

    with program_scope(world.program):
        counts = dict(ProgramMembership.objects.values_list("user__email", "unread_notifications"))
    assert counts[world.lead.email] == 1
    assert counts[world.coach.email] == 1
    assert counts[world.admin.email] == 0


def test_rules_are_asked_about_the_programs_own_today(world, reminders):
    world.program.time_zone = "Pacific/Auckland"
    world.program.save()
    # 11:30 UTC on 3 December is already 4 December (00:30) in Auckland.
    now = datetime(2026, 12, 3, 11, 30, tzinfo=UTC)

    with program_scope(world.program):
        notifications_scan(program=world.program, now=now)

    assert reminders.asked == [(date(2026, 12, 4), now)]
    assert rows(world)[0].key.endswith(":2026-12-04")


def test_a_new_day_is_a_new_occasion(world, reminders, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    scan(world, capture, now=datetime(2026, 12, 3, 9, tzinfo=UTC))
    again = scan(world, capture, now=datetime(2026, 12, 4, 9, tzinfo=UTC))

    assert again == 4
    assert len(sent_to(world.lead.email)) == 2


def test_a_failing_rule_does_not_stop_the_others(world, reminders):
    reminders.broken = True

    with program_scope(world.program), pytest.raises(RuleFailed, match="practice_checkin"):
        notifications_scan(program=world.program)

    assert {row.kind for row in rows(world)} == {"coach_note"}


def test_the_scan_costs_the_same_queries_for_many_notifications(world, reminders):
    def queries() -> int:
        with program_scope(world.program), CaptureQueriesContext(connection) as captured:
            Notification.objects.all().delete()
            OutboxMessage.objects.all().delete()
            notifications_scan(program=world.program)
        return len(captured.captured_queries)

    few = queries()
    for n in range(12):
        person = UserFactory(email=f"nurse{n}@north-psp.example.org")
        PracticeMembershipFactory(
            program=world.program, practice=world.other_practice, user=person, role="staff"
        )
    many = queries()

    assert len(rows(world)) == 16
    assert many == few


def test_an_event_is_notified_once(world, reminders, django_capture_on_commit_callbacks):
    due = Due(
        kind="report_ready",
        key="report_ready:41",
        title="Your practice report card is ready",
        url=f"/p/{world.program.slug}/reports/41/",
        recipient_id=world.manager.pk,
    )
    with program_scope(world.program), django_capture_on_commit_callbacks(execute=True):
        first = notify(program=world.program, due=due)
        second = notify(program=world.program, due=due)

    assert first is not None and first.pk and first.delivery == "app"
    assert second is None
    assert mail.outbox == []  # in the app only, the kind's default
    assert len(rows(world, recipient=world.manager)) == 1


def test_email_only_kinds_always_email_the_address(
    world, reminders, django_capture_on_commit_callbacks
):
    due = Due(
        kind="invitee_nudge",
        key="invitee_nudge:7",
        title="Your invitation to North PSP is waiting",
        url="/invitations/",
        email="newcomer@example.org",
    )
    with program_scope(world.program), django_capture_on_commit_callbacks(execute=True):
        notify(program=world.program, due=due)

    (message,) = mail.outbox
    assert message.to == ["newcomer@example.org"]
    assert "Hello," in message.body


def test_a_kind_that_sends_its_own_email_sends_it_once(
    world, reminders, django_capture_on_commit_callbacks
):
    due = Due(kind="handover", key="handover:1", title="Handover", url="", email="a@example.org")
    with program_scope(world.program), django_capture_on_commit_callbacks(execute=True):
        notification = notify(program=world.program, due=due)

    assert reminders.sent_by_hook == [notification.pk]
    assert [m.subject for m in mail.outbox] == ["Handover (sent by its kind)"]


def test_an_unregistered_kind_or_a_missing_recipient_is_refused(world, reminders):
    with program_scope(world.program):
        with pytest.raises(ValueError, match="not registered"):
            notify(program=world.program, due=Due(kind="nope", key="k1", title="T", url=""))
        with pytest.raises(ValueError, match="needs a recipient"):
            notify(program=world.program, due=Due(kind="report_ready", key="k2", title="T", url=""))


def test_recorded_as_delivered_shows_unread_but_emails_nothing_now_or_in_a_digest(
    world, reminders, django_capture_on_commit_callbacks
):
    """The demo seed's way: people find the notifications in the app, nobody gets an email."""
    with recorded_as_delivered():
        found = scan(world, django_capture_on_commit_callbacks)
    late = datetime(2030, 1, 1, 23, 0, tzinfo=UTC)  # past any digest hour
    with program_scope(world.program), django_capture_on_commit_callbacks(execute=True):
        digests = digests_send_due(program=world.program, now=late)

    assert found == 4
    assert mail.outbox == [] and digests == 0
    assert not OutboxMessage.all_programs.filter(program=world.program).exists()
    assert all(row.is_unread and row.emailed_at is not None for row in rows(world))
    with program_scope(world.program):
        lead = ProgramMembership.objects.get(user=world.lead)
    assert lead.unread_notifications == 1
    # Outside the context, recording delivers again.
    scan(world, django_capture_on_commit_callbacks, now=late)
    assert len(mail.outbox) == 2
