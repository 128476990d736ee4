"""What a verifier's decisions tell the person whose CPD activity it is: evidence asked for, and
the activity rejected. Sent with `notify` from the verification services, in the decision's
transaction, so a decision rolled back tells nobody; each person chooses in their notification
settings how each kind reaches them (psp/notifications/registry.py)."""

from django.urls import reverse

from cpd.activities.models import CpdActivity
from psp.history.models import ChangeRecord
from psp.notifications.registry import Delivery, Due, Kind, register_kind
from psp.notifications.services import notify

CPD_EVIDENCE_REQUESTED = register_kind(
    Kind(
        code="cpd_evidence_requested",
        label="Evidence asked for on a CPD activity of yours",
        description="When a verifier asks for (more) evidence of an activity you submitted: "
        "what they asked for, and a link to add it.",
        default=Delivery.IMMEDIATE,
    )
)
CPD_ACTIVITY_REJECTED = register_kind(
    Kind(
        code="cpd_activity_rejected",
        label="A CPD activity of yours rejected",
        description="When a verifier rejects an activity you submitted: their reason, and how "
        "to correct it and send it again.",
        default=Delivery.IMMEDIATE,
    )
)


def _verifier(by) -> str:
    return by.full_name or by.email


def _activity_url(program, activity: CpdActivity) -> str:
    return reverse("cpd:detail", kwargs={"program": program.slug, "pk": activity.pk})


def evidence_requested_notify(*, program, activity: CpdActivity, by, line: ChangeRecord) -> None:
    """To the person: the verifier's note, with a link to the activity's evidence. Keyed by
    the decision's history line, so asking again (a new note) is a new notice."""
    notify(
        program=program,
        due=Due(
            kind=CPD_EVIDENCE_REQUESTED.code,
            key=f"cpd_evidence_requested:{activity.pk}:{line.pk}",
            title=f"Evidence asked for: {activity.title}",
            url=_activity_url(program, activity) + "#evidence",
            recipient_id=activity.person_id,
            body=f"{_verifier(by)} asks: “{activity.evidence_requested}” Add the file in the "
            "Evidence section of the activity's page: the verifiers see it there, and the "
            "activity stays with them until they decide.",
            practice_id=activity.practice_id,
        ),
    )


def rejected_notify(*, program, activity: CpdActivity, by, line: ChangeRecord) -> None:
    """To the person: the reason, and how to correct the activity and send it again. Keyed by
    the decision's history line: rejected again after a resubmission is a new notice."""
    notify(
        program=program,
        due=Due(
            kind=CPD_ACTIVITY_REJECTED.code,
            key=f"cpd_activity_rejected:{activity.pk}:{line.pk}",
            title=f"CPD activity rejected: {activity.title}",
            url=_activity_url(program, activity),
            recipient_id=activity.person_id,
            body=f"{_verifier(by)} rejected it: “{activity.rejection_reason}” It no longer "
            "counts towards your cycle. To correct it, open it and choose Edit (it becomes a "
            "draft), then choose Submit for verification to send it again.",
            practice_id=activity.practice_id,
        ),
    )
