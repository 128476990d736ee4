"""What the CPD app reads of assessments to draft a CPD claim from a practice audit: a submitted
(scored) round is an audit of the practice against its instrument, and the people who answered it
(or submitted it for scoring) took part in that audit.

Assessments know nothing of CPD: cpd reads this module, as coaching reads for_plans.py. Every
read runs in the program in scope.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from assessments.rounds.models import Assessment, AssessmentStatus, DomainScore, Response
from psp.tenancy.permissions import Capability

VIEW = Capability.ASSESSMENT_VIEW


@dataclass(frozen=True)
class AuditDone:
    """A submitted round someone took part in, as a list shows it."""

    pk: int
    title: str
    practice_id: int
    practice_name: str
    done_on: date | None


@dataclass(frozen=True)
class AuditFacts:
    pk: int
    title: str
    instrument_name: str
    kind: str  # its label: "Baseline", "Follow-up"
    practice_id: int
    practice_name: str
    opened_on: date
    submitted_on: date | None
    overall_score: object  # Decimal | None
    domains: list[tuple[str, object]]  # (name, percent or None), in the instrument's order


def audit_title(assessment: Assessment) -> str:
    instrument = assessment.version.instrument.name
    return f"Practice audit: {instrument} ({assessment.get_kind_display().lower()})"


def _took_part(user) -> Q:
    answered = Response.objects.filter(
        assessment=OuterRef("pk"), respondent=user, submitted_at__isnull=False
    )
    return Q(Exists(answered)) | Q(submitted_by=user)


def _rounds_in_reach(access):
    return Assessment.objects.filter(access.practice_filter(VIEW, "practice_id")).select_related(
        "practice", "version__instrument"
    )


def audits_taken_part(*, access) -> list[AuditDone]:
    """The submitted rounds, of practices the person may see, they answered or submitted (one
    query)."""
    rounds = (
        _rounds_in_reach(access)
        .filter(_took_part(access.user), status=AssessmentStatus.SUBMITTED)
        .order_by("-submitted_at", "-pk")
    )
    return [
        AuditDone(a.pk, audit_title(a), a.practice_id, a.practice.name, _day(a.submitted_at))
        for a in rounds
    ]


def answered_round_ids(*, user) -> set[int]:
    """The rounds the person answered or submitted (one query): for pages that ask about many."""
    rounds = Assessment.objects.filter(_took_part(user))
    return set(rounds.values_list("pk", flat=True))


def round_in_reach(*, access, pk) -> Assessment:
    """A round of a practice the person may see, with its practice and instrument (else
    DoesNotExist)."""
    return _rounds_in_reach(access).get(pk=pk)


def is_submitted(assessment: Assessment) -> bool:
    return assessment.status == AssessmentStatus.SUBMITTED


def took_part_in_round(*, assessment: Assessment, user) -> bool:
    return Assessment.objects.filter(_took_part(user), pk=assessment.pk).exists()


def audit_facts(*, assessment: Assessment) -> AuditFacts:
    """What a claim from the round says (one query: its domain scores)."""
    scores = DomainScore.objects.filter(assessment=assessment).order_by("position", "pk")
    return AuditFacts(
        pk=assessment.pk,
        title=audit_title(assessment),
        instrument_name=assessment.version.instrument.name,
        kind=assessment.get_kind_display(),
        practice_id=assessment.practice_id,
        practice_name=assessment.practice.name,
        opened_on=_day(assessment.opened_at),
        submitted_on=_day(assessment.submitted_at),
        overall_score=assessment.overall_score,
        domains=list(scores.values_list("domain_name", "percent")),
    )


def _day(moment) -> date | None:
    return timezone.localdate(moment) if moment else None
