"""Drafting a CPD claim from quality-improvement work (cpd/claims/drafting.py says what it
holds). The draft is the person's own, counts for nothing until they confirm or submit it
(cpd/activities/services/recording.py), and is drafted once: drafting again returns the
activity already drafted from the same work, whatever became of it since."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cpd.activities import selectors as activities
from cpd.activities.models import ActivityStatus, CpdActivity
from cpd.activities.services.common import NO_CREDITS, credit, record_activity_line
from cpd.claims import selectors
from cpd.claims.drafting import CLAIM_TYPE, draft_for
from cpd.schemes.cycles import cycle_for
from psp.history.services import diff
from psp.tenancy.access import access_for


def claim_draft(*, program, by, source: str, source_id, today=None) -> tuple[CpdActivity, bool]:
    """Draft `by`'s claim from a goal, PDSA cycle or audit they may claim
    (cpd.claims.selectors.claim_source: SourceOutOfReach or a ValidationError with the reason
    otherwise). Returns the activity and whether it was drafted now (False: it existed)."""
    access = access_for(program=program, user=by)
    if access is None:
        raise PermissionDenied("Not a member of this program.")
    claimable = selectors.claim_source(access=access, source=source, source_id=source_id)
    if claimable.activity_id is not None:
        return CpdActivity.objects.get(pk=claimable.activity_id), False
    try:
        with transaction.atomic():
            return _draft(program, by, claimable, today or timezone.localdate()), True
    except IntegrityError:  # drafted by a request racing this one (cpd_activity_source_once)
        existing = CpdActivity.objects.get(person=by, source=source, source_id=claimable.source_id)
        return existing, False


def _draft(program, by, claimable, today) -> CpdActivity:
    draft = draft_for(claimable.kind, claimable.subject, today=today)
    cycle = cycle_for(program=program, person=by, on=draft.ended_on)
    category, credits = _credited(cycle, draft.hours)
    activity = CpdActivity.objects.create(
        program=program,
        person=by,
        practice_id=activities.person_practice_id(by),
        cycle=cycle,
        activity_type=CLAIM_TYPE,
        title=draft.title,
        provider=program.name[:200],
        started_on=draft.started_on,
        ended_on=draft.ended_on,
        hours=draft.hours,
        category=category,
        credits=credits,
        reflection=draft.reflection,
        status=ActivityStatus.DRAFT,
        source=claimable.kind,
        source_id=claimable.source_id,
        created_by=by,
    )
    record_activity_line(
        program=program,
        activity=activity,
        what="cpd_activity.drafted",
        summary=f"Drafted from {claimable.kind_label.lower()} “{claimable.title}”, to confirm."[
            :500
        ],
        changes=diff(
            {},
            {
                "status": activity.status,
                "source": claimable.kind,
                "hours": activity.hours,
                "category": category,
                "credits": credits,
            },
        ),
        by=by,
    )
    return activity


def _credited(cycle, hours):
    """The category the person's rules give a practice audit (its credit rule's, else the
    rules' first category) and what the hours earn there; none without a scheme. Hours still
    to give earn nothing yet: confirming asks for them (recording.activity_confirm)."""
    rules = activities.rules_of(cycle)
    if rules is None:
        return "", NO_CREDITS
    rule = rules.rule_for(CLAIM_TYPE)
    category = rule.category if rule is not None else next(iter(rules.category_keys), "")
    try:
        return credit(cycle, CLAIM_TYPE, hours, None, category)
    except ValidationError:  # no hours yet, or a scheme crediting audits per item
        return category, NO_CREDITS
