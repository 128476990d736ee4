"""psp/demo/reports.py and the last step of the seed: the demo has reports made through the
real path (a PDF each, the requester told it is ready), a subscription, and everyone who signs
in first finds unread notifications, recorded as delivered (nobody is emailed)."""

import pytest
from django.core import mail

from psp.demo.programs import LEGAL, NORTHERN
from psp.notifications.models import Notification
from psp.outbox.models import OutboxMessage, OutboxState
from psp.reports.models import Frequency, Report, ReportState, ReportSubscription
from psp.tenancy.models import Program, ProgramMembership, ProgramRole
from psp.tenancy.scope import program_scope

# Someone of each role in each program, as README.md's demo logins table names them.
PEOPLE = {
    NORTHERN: {
        "admin": ["priya.natarajan@northern-psp.example.org"],
        "manager": ["marcus.bell@northern-psp.example.org"],
        "coach": [
            "tom.whitfield@northern-psp.example.org",
            "aisha.mensah@northern-psp.example.org",
        ],
        "lead": ["amara.okonkwo@northshore-chc.example.org"],
        "staff": ["luc.tremblay@northshore-chc.example.org"],
    },
    LEGAL: {
        "admin": ["eleanor.brooks@legal-psp.example.org"],
        "manager": ["sam.rivera@example.org"],
        "coach": ["daniel.cho@legal-psp.example.org", "fatima.haddad@legal-psp.example.org"],
        "lead": ["michael.chen@chenpatel-defence.example.org"],
        "staff": ["aaliyah.grant@chenpatel-defence.example.org"],
    },
}


@pytest.mark.parametrize("slug", [NORTHERN, LEGAL])
def test_every_role_has_unread_notifications_on_first_login(seeded, slug):
    program = Program.objects.get(slug=slug)
    with program_scope(program):
        for role, emails in PEOPLE[slug].items():
            for email in emails:
                unread = Notification.objects.filter(recipient__email=email, read_at__isnull=True)
                membership = ProgramMembership.objects.get(user__email=email)
                assert unread.exists(), (role, email)
                # The header's count agrees with the centre.
                assert membership.unread_notifications == unread.count(), email
        admin = PEOPLE[slug]["admin"][0]
        assert Notification.objects.filter(recipient__email=admin, kind="report_ready").exists()


@pytest.mark.parametrize("slug", [NORTHERN, LEGAL])
def test_what_the_demo_recorded_counts_as_delivered_and_queues_no_email(seeded, slug):
    program = Program.objects.get(slug=slug)
    with program_scope(program):
        notifications = Notification.objects.exclude(delivery="app")
        assert notifications.count() > 10
        assert not notifications.filter(emailed_at__isnull=True).exists()
        assert not OutboxMessage.objects.filter(task__contains="notifications").exists()
        assert not OutboxMessage.objects.exclude(state=OutboxState.DONE).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("slug", [NORTHERN, LEGAL])
def test_the_demo_has_a_done_report_card_a_program_report_and_a_subscription(seeded, slug):
    program = Program.objects.get(slug=slug)
    people = PEOPLE[slug]
    with program_scope(program):
        done = Report.objects.filter(state=ReportState.DONE, pages__gte=1, file_size__gt=1000)
        card = done.get(document="practice_card", requested_by__email=people["lead"][0])
        made = done.get(document="program_report", requested_by__email=people["manager"][0])
        assert done.filter(document="practice_card", requested_by__email=people["admin"][0])
        for report in (card, made):
            assert report.file.name.endswith(".pdf")
            ready = Notification.objects.get(key=f"report_ready:{report.pk}")
            assert ready.recipient_id == report.requested_by_id and ready.is_unread
        subscription = ReportSubscription.objects.get(
            document="program_report", user__email=people["manager"][0]
        )
        assert subscription.active and subscription.frequency == Frequency.MONTHLY
        assert subscription.next_run_on > program.local_today()
        roles = set(ProgramMembership.objects.filter(user=card.requested_by).values_list("role"))
        assert roles == {(ProgramRole.PRACTICE,)}
