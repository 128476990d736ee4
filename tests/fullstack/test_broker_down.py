"""With the broker down, pages that cause background work still answer normally, and the work
is done once the broker is back (DESIGN section 9; issue 11).

Against real services: a redis-server of the test's own, stopped and started again, and a real
Celery worker on the shared PostgreSQL test database."""

from datetime import date

from rest_framework.test import APIClient

from coaching.feedback.models import FeedbackInvite
from psp.notifications.models import Notification
from psp.outbox.models import OutboxMessage, OutboxState
from psp.outbox.relay import relay_due
from psp.reports.models import Report, ReportState
from tests.fullstack.stack import (
    broker_of_our_own,
    needs_full_stack,
    require_postgresql,
    wait_until,
    worker,
)

pytestmark = needs_full_stack


def test_a_visit_saved_while_the_broker_is_down_answers_normally_and_its_emails_go_later(
    world, tmp_path
):
    require_postgresql()
    coach = APIClient()
    coach.force_authenticate(world.coach)
    log_path = tmp_path / "worker.log"
    with broker_of_our_own(tmp_path) as broker:
        broker.stop()

        response = coach.post(
            f"/api/v1/programs/{world.program.slug}/visits/",
            {
                "practice": world.practice.pk,
                "visit_date": date.today().isoformat(),
                "mode": "virtual",
                "duration_minutes": 45,
                "activities": {"workflow": 45},
                "attendees": [world.lead.pk, world.staff.pk],
            },
            format="json",
        )
        # The visit is saved and its feedback emails are waiting in the outbox, not lost.
        assert response.status_code == 201, response.content
        waiting = OutboxMessage.all_programs.filter(task="coaching.tasks.send_feedback_invite")
        assert waiting.count() == 2
        assert set(waiting.values_list("state", flat=True)) == {OutboxState.PENDING}
        assert relay_due() == 0  # still down: nothing sent, nothing lost

        broker.start()
        refresh = OutboxMessage.all_programs.filter(
            task="kpis.tasks.refresh_kpis", state=OutboxState.PENDING
        )
        assert refresh.count() == 1  # the visit changed the program's computed KPIs
        assert relay_due() == 3  # the two emails and the KPI refresh
        with worker(broker, log_path):
            wait_until(
                lambda: set(waiting.values_list("state", flat=True)) == {OutboxState.DONE},
                timeout=60,
                what="the worker to send both feedback emails",
                log_path=log_path,
            )
    invites = FeedbackInvite.all_programs.filter(visit_id=response.json()["id"])
    assert all(invite.emailed_at is not None for invite in invites)
    output = log_path.read_text()
    for person in (world.lead, world.staff):
        assert output.count(f"To: {person.email}") == 1, output


def test_a_report_asked_for_while_the_broker_is_down_is_made_when_it_returns(
    client, world, tmp_path, settings
):
    require_postgresql()
    client.force_login(world.coach)
    log_path = tmp_path / "worker.log"
    with broker_of_our_own(tmp_path) as broker:
        broker.stop()
        response = client.post(
            f"/p/{world.program.slug}/reports/new/practice_card/", {"practice": world.practice.pk}
        )
        # The page answers at once, and the report waits, queued, with its task in the outbox.
        assert response.status_code == 302, response.content
        report = Report.all_programs.get(requested_by=world.coach)
        assert report.state == ReportState.QUEUED
        assert client.get(response["Location"]).status_code == 200
        assert relay_due() == 0

        broker.start()
        assert relay_due() == 1
        # The worker writes the file where this process reads report files.
        private_root = settings.STORAGES["private"]["OPTIONS"]["location"]
        with worker(broker, log_path, env={"PSP_PRIVATE_ROOT": str(private_root)}):
            wait_until(
                lambda: Report.all_programs.get(pk=report.pk).state == ReportState.DONE,
                timeout=120,
                what="the worker to make the report",
                log_path=log_path,
            )
            # Its requester is told, and that email goes out too.
            wait_until(
                lambda: Notification.all_programs.filter(
                    recipient=world.coach, kind="report_ready", emailed_at__isnull=False
                ).exists(),
                timeout=60,
                what="the report-ready email",
                log_path=log_path,
            )
    report.refresh_from_db()
    download = client.get(f"/p/{world.program.slug}/reports/{report.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
