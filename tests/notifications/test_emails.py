"""The email sent at once: greets the person by name, links to its subject and to their
notification settings (text and HTML), and is sent once however often its task runs."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from psp.notifications.models import Notification
from psp.notifications.services import notification_email_send, notifications_scan
from psp.notifications.tasks import send_notification_email
from psp.tenancy.scope import program_scope

pytestmark = pytest.mark.django_db


def lead_checkin(world) -> Notification:
    with program_scope(world.program):
        return Notification.objects.get(recipient=world.lead)


def test_the_email_links_its_subject_and_the_persons_settings(
    world, reminders, django_capture_on_commit_callbacks, settings
):
    settings.PSP_SITE_URL = "https://psp.example.org/"
    with program_scope(world.program), django_capture_on_commit_callbacks(execute=True):
        notifications_scan(program=world.program)

    message = next(m for m in mail.outbox if m.to == [world.lead.email])
    html = message.alternatives[0][0]
    subject_link = f"https://psp.example.org/p/north-psp/practices/{world.practice.pk}/"
    settings_link = "https://psp.example.org/p/north-psp/notifications/settings/"
    assert message.subject == f"North PSP: Check in with {world.practice.name}"
    for text in (message.body, html):
        assert "Hello Lead of North PSP," in text
        assert f"Check in with {world.practice.name}" in text
        assert "Ask how the week went." in text
        assert subject_link in text
        assert settings_link in text
    assert f'href="{subject_link}"' in html
    assert f'href="{settings_link}"' in html


def test_the_email_task_run_twice_sends_once(world, reminders, django_capture_on_commit_callbacks):
    with program_scope(world.program), django_capture_on_commit_callbacks(execute=True):
        notifications_scan(program=world.program)
    sent = len(mail.outbox)
    notification = lead_checkin(world)

    again = send_notification_email.apply(
        kwargs={"program_id": world.program.pk, "notification_id": notification.pk}
    ).get()

    assert again is False
    assert len(mail.outbox) == sent


def test_a_refused_email_is_not_marked_sent_and_goes_out_on_the_retry(
    world, reminders, monkeypatch
):
    with program_scope(world.program):
        notifications_scan(program=world.program)  # its emails wait (nothing committed)
    notification = lead_checkin(world)
    kwargs = {"program_id": world.program.pk, "notification_id": notification.pk}

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("the mail server is down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", refuse)
        with program_scope(world.program), pytest.raises(ConnectionRefusedError):
            notification_email_send(program=world.program, notification_id=notification.pk)
    assert lead_checkin(world).emailed_at is None

    assert send_notification_email.apply(kwargs=kwargs).get() is True
    assert lead_checkin(world).emailed_at is not None
    assert [m.to for m in mail.outbox] == [[world.lead.email]]
