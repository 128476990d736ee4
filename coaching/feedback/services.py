"""Participant feedback: asking a visit's attendees, e-mailing them the link, and taking their
anonymous answers.

An invitation names the person asked; the answer (FeedbackResponse) names only the visit, keeps
only the day it was given, and is written in the same transaction that marks the invitation
answered, with the invitation's row locked, so one invitation gives at most one answer however
many tabs or requests race for it.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from coaching.feedback.models import FeedbackInvite, FeedbackResponse
from coaching.visits.models import Visit, VisitAttendee, VisitStatus
from psp.outbox.services import outbox_enqueue
from psp.tenancy.base import ensure_in_program

logger = logging.getLogger(__name__)

COMMENT_MAX = 2000


@transaction.atomic
def feedback_request(*, program, visit: Visit, by) -> list[FeedbackInvite]:
    """Ask each attendee of a logged visit (who has not been asked yet) for feedback, and
    e-mail each of them the link once the transaction commits.

    Safe to call again after attendees are added: only the new ones are asked."""
    ensure_in_program(program, visit)
    if visit.status != VisitStatus.LOGGED:
        return []
    asked = set(FeedbackInvite.objects.filter(visit=visit).values_list("person_id", flat=True))
    people = [
        attendee.person_id
        for attendee in VisitAttendee.objects.filter(visit=visit)
        if attendee.person_id not in asked and attendee.person_id != visit.coach_id
    ]
    invites = FeedbackInvite.objects.bulk_create(
        FeedbackInvite(program=program, visit=visit, person_id=person_id) for person_id in people
    )
    from coaching.feedback.tasks import send_feedback_invite  # tasks call back into this module

    for invite in invites:
        outbox_enqueue(send_feedback_invite, program=program, invite_id=invite.pk)
    return invites


def feedback_invite_url(invite: FeedbackInvite) -> str:
    """The absolute address of the invitation's feedback page, for the e-mail."""
    return settings.PSP_SITE_URL.rstrip("/") + invite.get_absolute_url()


def _invite_email(invite: FeedbackInvite) -> EmailMultiAlternatives:
    visit = invite.visit
    context = {
        "invite": invite,
        "program": invite.program,
        "person": invite.person,
        "coach_name": visit.coach.get_full_name() if visit.coach else "your coach",
        "visit": visit,
        "practice": visit.practice,
        "feedback_url": feedback_invite_url(invite),
    }
    subject = render_to_string("accounts/email/feedback_subject.txt", context)
    text = render_to_string("accounts/email/feedback_message.txt", context)
    html = render_to_string("accounts/email/feedback_message.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[invite.person.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def feedback_invite_send(*, program, invite_id: int) -> bool:
    """E-mail one invitation's link. Safe to run twice: an invitation already e-mailed, answered
    or declined is left alone. Returns whether an e-mail went out.

    The row is locked and `emailed_at` set in the same transaction as the send: if the mail
    server refuses, both roll back and the task's retry starts clean."""
    with transaction.atomic():
        invite = (
            FeedbackInvite.objects.select_for_update(of=("self",))
            .select_related("program", "person", "visit__coach", "visit__practice")
            .filter(pk=invite_id)
            .first()
        )
        if invite is None or invite.emailed_at is not None:
            return False
        ensure_in_program(program, invite)
        if invite.answered_at is not None or invite.declined_at is not None:
            return False
        if not invite.person.is_active or not invite.person.email:
            return False
        invite.emailed_at = timezone.now()
        invite.save(update_fields=["emailed_at"])
        _invite_email(invite).send()
    logger.info("Feedback invitation %s e-mailed", invite_id)
    return True


def _locked_open_invite(*, program, invite: FeedbackInvite, by) -> FeedbackInvite:
    ensure_in_program(program, invite)
    locked = FeedbackInvite.objects.select_for_update().get(pk=invite.pk)
    if locked.person_id != by.pk:
        # Views and the API answer 404 before this; the rule holds here too.
        raise PermissionDenied("This feedback request was sent to someone else.")
    if locked.answered_at is not None:
        raise ValidationError("You have already given your feedback on this visit. Thank you!")
    if locked.declined_at is not None:
        raise ValidationError("You chose not to give feedback on this visit.")
    return locked


def _score(value, *, field: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high or str(value).strip() != str(number):
        raise ValidationError({field: f"Choose a number from {low} to {high}."})
    return number


@transaction.atomic
def feedback_respond(
    *,
    program,
    invite: FeedbackInvite,
    by,
    usefulness,
    would_recommend,
    comment: str = "",
) -> FeedbackResponse:
    """Answer an invitation, once, as its own person: usefulness 1–5, would recommend 0–10, an
    optional comment. The answer keeps no link to the person (only the visit and the day)."""
    locked = _locked_open_invite(program=program, invite=invite, by=by)
    errors = {}
    scores = {}
    for field, low, high, value in (
        ("usefulness", 1, 5, usefulness),
        ("would_recommend", 0, 10, would_recommend),
    ):
        try:
            scores[field] = _score(value, field=field, low=low, high=high)
        except ValidationError as error:
            errors.update(error.message_dict)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = [f"At most {COMMENT_MAX} characters."]
    if errors:
        raise ValidationError(errors)
    response = FeedbackResponse.objects.create(
        program=program,
        visit_id=locked.visit_id,
        usefulness=scores["usefulness"],
        would_recommend=scores["would_recommend"],
        comment=comment,
        submitted_on=timezone.localdate(),
    )
    locked.answered_at = timezone.now()
    locked.save(update_fields=["answered_at"])
    return response


@transaction.atomic
def feedback_decline(*, program, invite: FeedbackInvite, by) -> FeedbackInvite:
    """ "Not this time": the invitation is closed without an answer and stops being asked."""
    locked = _locked_open_invite(program=program, invite=invite, by=by)
    locked.declined_at = timezone.now()
    locked.save(update_fields=["declined_at"])
    return locked
