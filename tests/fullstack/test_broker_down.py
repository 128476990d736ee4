"""With the broker down, pages that cause background work still answer normally, and the work
is done once the broker is back (DESIGN section 9; issue 11).

Against real services: a redis-server of the test's own, stopped and started again, and a real
Celery worker on the shared PostgreSQL test database."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from coaching.feedback.models import FeedbackInvite
from psp.outbox.models import OutboxMessage, OutboxState
from psp.outbox.relay import relay_due
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
        assert relay_due() == 2
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


@pytest.fixture
def world(world):
    return world
