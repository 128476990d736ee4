"""Which quality-improvement work a person may claim as CPD, decided in one place.

A claim may be drafted from an achieved plan goal, an ended PDSA cycle or a submitted assessment
round (a practice audit), by someone who records CPD (cpd.record) and took part in it: for a goal
or cycle, a person of its practice or a coach who logged a visit on the goal; for a round, someone
who answered it or submitted it (coaching/for_cpd.py, assessments/rounds/for_cpd.py say so).

Out of reach (a plan or round the person may not see: another practice's, another program's, a
missing id) is `SourceOutOfReach`, answered 404 like a missing id. Work the person sees but did
not do (an admin reading the plan) is PermissionDenied with the reason (403: sees it, may not act
on it, as everywhere in the permission matrix). Work theirs but not done yet (a goal still open,
a round still open) is a ValidationError naming the reason (400).
"""

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError

from assessments.rounds import for_cpd as audits
from coaching import for_cpd as coaching
from cpd.activities.models import ClaimSource, CpdActivity
from psp.tenancy.permissions import Capability

RECORD = Capability.CPD_RECORD
KINDS = (ClaimSource.GOAL, ClaimSource.PDSA, ClaimSource.AUDIT)
KIND_LABELS = {
    ClaimSource.GOAL: "Plan goal",
    ClaimSource.PDSA: "PDSA cycle",
    ClaimSource.AUDIT: "Practice audit",
}


class SourceOutOfReach(ObjectDoesNotExist):
    """No such goal, cycle or round that the person may see."""


@dataclass(frozen=True)
class Claimable:
    """Work a person may claim: its kind and id, what it is called, and the activity already
    drafted from it (None until they draft one)."""

    kind: str
    source_id: int
    title: str
    practice_name: str
    activity_id: int | None = None
    subject: object = None  # the goal, cycle or round itself, for drafting

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def drafted_from(*, user) -> dict[tuple[str, int], int]:
    """{(source, source id): activity id} of the person's claims from QI work (one query)."""
    rows = CpdActivity.objects.filter(
        person=user, source__in=KINDS, source_id__isnull=False
    ).values_list("source", "source_id", "pk")
    return {(source, source_id): pk for source, source_id, pk in rows}


def claim_sources_for(*, access, kinds=KINDS) -> list[Claimable]:
    """Everything the person may claim, each with the activity already drafted from it if
    any: goals, then PDSA cycles, then audits (at most four queries, whatever the numbers)."""
    if not access.can(RECORD):
        return []
    drafted = drafted_from(user=access.user)
    found: list[Claimable] = []
    listed = {
        ClaimSource.GOAL: coaching.achieved_goals,
        ClaimSource.PDSA: coaching.ended_cycles,
        ClaimSource.AUDIT: audits.audits_taken_part,
    }
    for kind in kinds:
        for work in listed[kind](access=access):
            activity_id = drafted.get((kind, work.pk))
            found.append(Claimable(kind, work.pk, work.title, work.practice_name, activity_id))
    return found


def claim_source(*, access, source: str, source_id) -> Claimable:
    """The work named, if the person may claim it (see the module's docstring)."""
    if source not in KINDS:
        raise ValidationError({"source": "Choose goal, pdsa or audit."})
    if not access.can(RECORD):
        raise PermissionDenied("Your role does not record CPD here.")
    try:
        pk = int(source_id)
    except (TypeError, ValueError):
        raise SourceOutOfReach from None
    claimable = {
        ClaimSource.GOAL: _goal,
        ClaimSource.PDSA: _cycle,
        ClaimSource.AUDIT: _audit,
    }[source](access, pk)
    drafted = CpdActivity.objects.filter(person=access.user, source=source, source_id=pk)
    activity_id = drafted.values_list("pk", flat=True).first()
    return Claimable(
        source, pk, claimable.title, claimable.practice_name, activity_id, claimable.subject
    )


def _refuse(reason: str):
    raise ValidationError({"source_id": reason})


def _not_theirs(reason: str):
    raise PermissionDenied(reason)


def _goal(access, pk) -> Claimable:
    try:
        goal = coaching.goal_in_reach(access=access, pk=pk)
    except ObjectDoesNotExist:
        raise SourceOutOfReach from None
    practice_id = goal.plan.practice_id
    if not coaching.took_part_in_goal(
        goal_id=goal.pk,
        practice_id=practice_id,
        user=access.user,
        practice_ids=access.practice_roles.keys(),
    ):
        _not_theirs(
            "Only the people of the goal's practice and the coaches who worked on it at a visit "
            "claim it as CPD."
        )
    if not coaching.is_achieved(goal):
        _refuse(f"The goal is {goal.get_status_display().lower()}: claim it once it is achieved.")
    return Claimable(ClaimSource.GOAL, pk, goal.title, goal.plan.practice.name, subject=goal)


def _cycle(access, pk) -> Claimable:
    try:
        cycle = coaching.cycle_in_reach(access=access, pk=pk)
    except ObjectDoesNotExist:
        raise SourceOutOfReach from None
    if not coaching.took_part_in_goal(
        goal_id=cycle.goal_id,
        practice_id=cycle.practice_id,
        user=access.user,
        practice_ids=access.practice_roles.keys(),
    ):
        _not_theirs(
            "Only the people of the cycle's practice and the coaches who worked on its goal at "
            "a visit claim it as CPD."
        )
    if not coaching.is_ended(cycle):
        _refuse("The PDSA cycle has not ended: claim it once its decision is recorded.")
    title = coaching.cycle_title(cycle)
    return Claimable(ClaimSource.PDSA, pk, title, cycle.practice.name, subject=cycle)


def _audit(access, pk) -> Claimable:
    try:
        assessment = audits.round_in_reach(access=access, pk=pk)
    except ObjectDoesNotExist:
        raise SourceOutOfReach from None
    if not audits.took_part_in_round(assessment=assessment, user=access.user):
        _not_theirs("Only the people who answered the assessment, or submitted it, claim it.")
    if not audits.is_submitted(assessment):
        _refuse("The assessment is still open: claim it once it is submitted and scored.")
    title = audits.audit_title(assessment)
    return Claimable(ClaimSource.AUDIT, pk, title, assessment.practice.name, subject=assessment)


# The button on goal, PDSA and assessment pages ------------------------------------------------


@dataclass(frozen=True)
class ButtonState:
    kind: str
    source_id: int
    activity_id: int | None


def button_state(*, access, kind: str, subject) -> ButtonState | None:
    """Whether the page shows "Draft a CPD claim from this" (or "CPD claim drafted") for a goal,
    cycle or round already loaded by the page. The same rules as `claim_source`, read from what
    the page has; the few lookups it needs are made once per request, however many goals the
    page shows (kept on the access, as cpd/activities/selectors.py `can_verify` does)."""
    if access is None or not access.can(RECORD) or kind not in KINDS:
        return None
    if not _done(kind, subject) or not _took_part(access, kind, subject):
        return None
    activity_id = _cached(access, "cpd_claims_drafted", drafted_from).get((kind, subject.pk))
    return ButtonState(kind, subject.pk, activity_id)


def _done(kind, subject) -> bool:
    if kind == ClaimSource.GOAL:
        return coaching.is_achieved(subject)
    if kind == ClaimSource.PDSA:
        return coaching.is_ended(subject)
    return audits.is_submitted(subject)


def _took_part(access, kind, subject) -> bool:
    if kind == ClaimSource.AUDIT:
        return subject.pk in _cached(access, "cpd_claims_rounds", audits.answered_round_ids)
    goal_id = subject.pk if kind == ClaimSource.GOAL else subject.goal_id
    practice_id = subject.plan.practice_id if kind == ClaimSource.GOAL else subject.practice_id
    if practice_id in access.practice_roles:
        return True
    return access.is_coach and goal_id in _cached(
        access, "cpd_claims_coached", coaching.coached_goal_ids
    )


def _cached(access, key, read):
    if key not in access._cache:
        access._cache[key] = read(user=access.user)
    return access._cache[key]


def own_claims(*, user):
    """The person's activities drafted from QI work, with what the activity serializer reads."""
    return CpdActivity.objects.filter(person=user, source__in=KINDS).select_related(
        "person", "practice", "cycle__scheme", "verified_by", "offering"
    )
