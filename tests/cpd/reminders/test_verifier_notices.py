"""What a verifier's decisions tell the person (cpd/activities/reminders.py): evidence asked for,
with the note; rejected, with the reason and how to send it again. Sent in the decision's
transaction, once per decision, as the person chose for each kind."""

import pytest
from django.core import mail
from django.db import transaction

from cpd.activities import services
from cpd.models import CpdVerifier
from psp.notifications.models import Notification, NotificationPreference
from psp.tenancy.models import ProgramMembership
from psp.tenancy.scope import program_scope
from tests.cpd.activities.helpers import record
from tests.cpd.rules_examples import family
from tests.cpd.scheme_factories import make_scheme

pytestmark = pytest.mark.django_db

REASON = "The certificate shows 2 hours, not 3: correct the hours and send it again."
NOTE = "Please attach the certificate of attendance."


@pytest.fixture
def scheme(world):
    scheme = make_scheme(world.program, family(), code="family-medicine")
    with program_scope(world.program):
        CpdVerifier.objects.create(program=world.program, user=world.manager)
    return scheme


def decide(world, name, activity, by, **kwargs):
    with program_scope(world.program):
        return getattr(services, name)(program=world.program, activity=activity, by=by, **kwargs)


def notices(world, kind) -> list[Notification]:
    with program_scope(world.program):
        return list(Notification.objects.filter(kind=kind).order_by("pk"))


def unread(world, person) -> int:
    with program_scope(world.program):
        return ProgramMembership.objects.get(user=person).unread_notifications


def test_a_rejection_tells_the_person_the_reason_and_how_to_send_it_again(world, scheme):
    activity = record(world, world.staff, submit=True)

    decide(world, "activity_reject", activity, world.manager, reason=REASON)

    (notice,) = notices(world, "cpd_activity_rejected")
    assert notice.recipient_id == world.staff.pk
    assert notice.title == "CPD activity rejected: Safer opioid prescribing"
    assert notice.url == f"/p/north-psp/cpd/activities/{activity.pk}/"
    assert f"Manager of North PSP rejected it: “{REASON}”" in notice.body
    assert "choose Edit" in notice.body and "Submit for verification" in notice.body
    assert unread(world, world.staff) == 1


def test_a_request_for_evidence_tells_the_person_the_verifiers_note(world, scheme):
    activity = record(world, world.lead, submit=True)

    decide(world, "activity_request_evidence", activity, world.admin, message=NOTE)

    (notice,) = notices(world, "cpd_evidence_requested")
    assert notice.recipient_id == world.lead.pk
    assert notice.title == "Evidence asked for: Safer opioid prescribing"
    assert notice.url == f"/p/north-psp/cpd/activities/{activity.pk}/#evidence"
    assert f"Admin of North PSP asks: “{NOTE}”" in notice.body


def test_each_decision_is_told_once_and_a_new_one_again(world, scheme):
    activity = record(world, world.staff, submit=True)
    decide(world, "activity_request_evidence", activity, world.manager, message=NOTE)
    decide(world, "activity_request_evidence", activity, world.manager, message=NOTE)  # the same
    decide(world, "activity_reject", activity, world.manager, reason=REASON)
    decide(world, "activity_reject", activity, world.manager, reason=REASON)  # changes nothing
    assert len(notices(world, "cpd_evidence_requested")) == 1
    assert len(notices(world, "cpd_activity_rejected")) == 1

    with program_scope(world.program):
        services.activity_update(
            program=world.program, activity=activity, by=world.staff, data={"hours": "2"}
        )
        services.activity_submit(program=world.program, activity=activity, by=world.staff)
    decide(world, "activity_reject", activity, world.manager, reason="Still no certificate.")

    rejected = notices(world, "cpd_activity_rejected")
    assert len(rejected) == 2
    assert "Still no certificate." in rejected[1].body


def test_a_decision_rolled_back_tells_nobody(world, scheme):
    activity = record(world, world.staff, submit=True)

    with pytest.raises(RuntimeError), transaction.atomic():
        decide(world, "activity_reject", activity, world.manager, reason=REASON)
        raise RuntimeError("the page failed after the decision")

    assert notices(world, "cpd_activity_rejected") == []
    assert unread(world, world.staff) == 0


def test_verifying_tells_nobody(world, scheme):
    activity = record(world, world.staff, submit=True)

    decide(world, "activity_verify", activity, world.manager)

    with program_scope(world.program):
        assert not Notification.objects.filter(kind__startswith="cpd_").exists()


def test_an_email_goes_at_once_unless_the_person_chose_otherwise(
    world, scheme, django_capture_on_commit_callbacks
):
    with program_scope(world.program):
        NotificationPreference.objects.create(
            program=world.program, user=world.lead, kind="cpd_activity_rejected", delivery="app"
        )
    mine, theirs = record(world, world.lead, submit=True), record(world, world.staff, submit=True)

    with django_capture_on_commit_callbacks(execute=True):
        decide(world, "activity_reject", mine, world.manager, reason=REASON)
        decide(world, "activity_reject", theirs, world.manager, reason=REASON)

    assert [message.to for message in mail.outbox] == [[world.staff.email]]
    assert "CPD activity rejected: Safer opioid prescribing" in mail.outbox[0].subject
    assert REASON in mail.outbox[0].body
    delivery = {n.recipient_id: n.delivery for n in notices(world, "cpd_activity_rejected")}
    assert delivery == {world.lead.pk: "app", world.staff.pk: "immediate"}


def test_the_kinds_are_in_the_notification_settings(client, world, scheme):
    client.force_login(world.staff)

    page = client.get("/p/north-psp/notifications/settings/").content.decode()

    assert "A CPD activity of yours rejected" in page
    assert "Evidence asked for on a CPD activity of yours" in page
    assert "A CPD requirement you are short of, before its deadline" in page
