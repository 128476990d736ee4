"""The verification flow: submit (twice changes nothing), verify, reject with a reason, correct
and resubmit, ask for evidence; who verifies (admins, people with a CpdVerifier row, never their
own activity); each move a line of history with who and why."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cpd.activities import services
from cpd.models import CpdVerifier
from psp.tenancy.scope import program_scope
from tests.cpd.activities.helpers import fresh, history, record
from tests.evidence.subjects import pdf_bytes, upload

pytestmark = pytest.mark.django_db


def act(world, name, activity, by, **kwargs):
    with program_scope(world.program):
        return getattr(services, name)(program=world.program, activity=activity, by=by, **kwargs)


def test_submitting_twice_changes_nothing_the_second_time(world):
    activity = record(world, world.staff)

    first = act(world, "activity_submit", activity, world.staff)
    lines = len(history(world, activity))
    second = act(world, "activity_submit", activity, world.staff)

    assert first.status == second.status == "submitted"
    assert second.submitted_at == first.submitted_at
    assert len(history(world, activity)) == lines


def test_an_admin_verifies_a_submitted_activity(world):
    activity = record(world, world.staff, submit=True)

    act(world, "activity_verify", activity, world.admin)

    activity = fresh(world, activity)
    assert (activity.status, activity.verified_by) == ("verified", world.admin)
    assert activity.verified_at is not None
    line = history(world, activity)[-1]
    assert (line.what, line.changed_by) == ("cpd_activity.verified", world.admin)
    assert line.changes["status"] == ["submitted", "verified"]


def test_a_person_named_a_verifier_verifies_and_anyone_else_is_refused(world):
    activity = record(world, world.staff, submit=True)

    for outsider in (world.manager, world.coach, world.lead):
        with pytest.raises(PermissionDenied):
            act(world, "activity_verify", activity, outsider)
    assert fresh(world, activity).status == "submitted"

    act(world, "activity_verify", activity, world.other_coach)  # has a CpdVerifier row
    assert fresh(world, activity).status == "verified"


def test_nobody_verifies_their_own_activity_not_even_an_admin(world):
    with program_scope(world.program):
        CpdVerifier.objects.create(program=world.program, user=world.staff)
    own = record(world, world.staff, submit=True)

    with pytest.raises(PermissionDenied, match="Nobody verifies their own"):
        act(world, "activity_verify", own, world.staff)
    assert fresh(world, own).status == "submitted"


def test_only_a_submitted_activity_is_verified(world):
    activity = record(world, world.staff)

    with pytest.raises(ValidationError, match="only an activity submitted"):
        act(world, "activity_verify", activity, world.admin)


def test_a_rejection_needs_a_reason_then_the_person_corrects_and_resubmits(world):
    activity = record(world, world.staff, submit=True)
    with pytest.raises(ValidationError) as error:
        act(world, "activity_reject", activity, world.admin, reason="  ")
    assert error.value.message_dict == {"reason": ["This field is required."]}

    act(world, "activity_reject", activity, world.admin, reason="The hours are not on the slip.")
    rejected = fresh(world, activity)
    assert (rejected.status, rejected.rejection_reason) == (
        "rejected",
        "The hours are not on the slip.",
    )
    assert "The hours are not on the slip." in history(world, activity)[-1].summary

    corrected = act(world, "activity_update", rejected, world.staff, data={"hours": "2"})
    assert corrected.status == "draft"  # the person's to send again
    assert corrected.rejection_reason == "The hours are not on the slip."

    resubmitted = act(world, "activity_submit", corrected, world.staff)
    assert (resubmitted.status, resubmitted.rejection_reason) == ("submitted", "")
    assert history(world, activity)[-1].summary == "Submitted for verification again."
    act(world, "activity_verify", resubmitted, world.other_coach)
    assert fresh(world, activity).status == "verified"


def test_editing_and_submitting_at_once_sends_a_rejected_activity_again(world):
    activity = record(world, world.staff, submit=True)
    act(world, "activity_reject", activity, world.admin, reason="Wrong dates.")

    sent = act(world, "activity_update", activity, world.staff, data={"hours": "2"}, submit=True)

    assert sent.status == "submitted"
    whats = [line.what for line in history(world, activity)]
    assert whats[-3:] == ["cpd_activity.rejected", "cpd_activity.edited", "cpd_activity.submitted"]


def test_asking_for_evidence_marks_it_and_evidence_arriving_answers_it(world):
    activity = record(world, world.staff, submit=True)

    act(world, "activity_request_evidence", activity, world.admin, message="The certificate.")
    asked = fresh(world, activity)
    assert (asked.status, asked.evidence_requested) == ("submitted", "The certificate.")

    with program_scope(world.program):
        (row,) = services.activity_evidence_attach(
            program=world.program,
            activity=asked,
            by=world.staff,
            uploads=[upload("certificate.pdf", pdf_bytes())],
            label="Certificate",
        )
    assert fresh(world, activity).evidence_requested == ""
    lines = history(world, activity)
    assert lines[-2].summary.startswith("Attached evidence: certificate.pdf (Certificate, ")
    assert lines[-1].summary == "The evidence asked for came: certificate.pdf."
    assert (row.subject_type, row.subject_id) == ("cpd_activity", activity.pk)


def test_verifying_answers_an_open_request_for_evidence(world):
    activity = record(world, world.staff, submit=True)
    act(world, "activity_request_evidence", activity, world.admin, message="The certificate.")

    act(world, "activity_verify", activity, world.other_coach)

    assert fresh(world, activity).evidence_requested == ""


def test_a_draft_is_confirmed_once_as_self_reported(world):
    activity = record(world, world.staff)
    with program_scope(world.program):
        type(activity).objects.filter(pk=activity.pk).update(status="draft")

    act(world, "activity_confirm", activity, world.staff)
    lines = len(history(world, activity))
    act(world, "activity_confirm", activity, world.staff)

    assert fresh(world, activity).status == "self_reported"
    assert len(history(world, activity)) == lines
    with pytest.raises(PermissionDenied):
        act(world, "activity_confirm", activity, world.lead)
