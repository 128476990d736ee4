"""What support plans (the coaching app) read of assessments: the rounds a person may draft plans
from, a practice's rounds for its timeline, a submitted round's weak and lowest domains and its
domain scores, and the change library's active ideas. Plans are drafted from these reads, so
coaching asks this module rather than querying the assessment models itself.

Every selector reads inside the program in scope (the models' default manager refuses to read
outside one).
"""

from django.db.models import F, Prefetch, QuerySet

from assessments.instruments.models import ChangeIdea, Domain
from assessments.rounds.models import Assessment, AssessmentStatus, DomainScore

# Rounds ------------------------------------------------------------------------------------


def assessments_in_reach(*, access, capability) -> QuerySet[Assessment]:
    """The rounds of the practices where the person holds `capability` (for plans: PLAN_VIEW),
    with their program, practice and instrument joined."""
    return Assessment.objects.filter(
        access.practice_filter(capability, "practice_id")
    ).select_related("practice", "version__instrument")


def practice_rounds(*, practice, submitted_only: bool = False) -> QuerySet[Assessment]:
    """The practice's rounds (only the submitted ones when `submitted_only`), with the
    instrument and the people who opened and submitted them joined: what a timeline shows."""
    queryset = Assessment.objects.filter(practice=practice).select_related(
        "version__instrument", "opened_by", "submitted_by"
    )
    if submitted_only:
        queryset = queryset.filter(status=AssessmentStatus.SUBMITTED)
    return queryset


def is_scored(assessment: Assessment) -> bool:
    """Whether the round is submitted, so its domain scores exist and can propose a plan."""
    return assessment.status == AssessmentStatus.SUBMITTED


# Domain scores -----------------------------------------------------------------------------


def weak_domains(*, assessment) -> QuerySet[DomainScore]:
    """The assessment's domains scoring below its instrument's weak threshold, weakest first
    (domains with nothing attainable are not weak: they have no score). For support plans."""
    return (
        DomainScore.objects.filter(
            assessment=assessment,
            percent__isnull=False,
            percent__lt=F("assessment__version__instrument__weak_threshold"),
        )
        .select_related("domain")
        .order_by("percent", "position", "pk")
    )


def lowest_domains(*, assessment, limit: int = 2) -> list[DomainScore]:
    """The `limit` lowest-scoring domains below 100%, weakest first: what a plan works on when
    no domain is below the weak threshold."""
    return list(
        DomainScore.objects.filter(
            assessment=assessment, percent__isnull=False, percent__lt=100
        ).order_by("percent", "position", "pk")[:limit]
    )


def domain_choices(*, assessment_id) -> list[tuple[str, str]]:
    """(domain key, domain name) of every domain scored in the round, in the instrument's
    order: the domains a goal of a plan drafted from it can serve."""
    scores = DomainScore.objects.filter(assessment_id=assessment_id).order_by("position", "pk")
    return [(score.domain_key, score.domain_name) for score in scores]


def domain_score(*, assessment_id, domain_key: str) -> DomainScore | None:
    """The round's score for one domain (by key); None when the round did not score it."""
    return DomainScore.objects.filter(assessment_id=assessment_id, domain_key=domain_key).first()


def domain_scores_prefetch(
    lookup: str = "assessment__domain_scores", to_attr: str = "score_list"
) -> Prefetch:
    """A prefetch of a round's domain scores in order, for a queryset of rows that point at a
    round (plans: `plan.assessment.score_list`)."""
    return Prefetch(
        lookup, queryset=DomainScore.objects.order_by("position", "pk"), to_attr=to_attr
    )


def domain_name(*, instrument_id, domain_key: str) -> str | None:
    """The name the instrument's newest version having the domain key gives it; None when no
    version has the key."""
    domain = (
        Domain.objects.filter(version__instrument_id=instrument_id, key=domain_key)
        .order_by("-version__number")
        .first()
    )
    return domain.name if domain else None


# The change library ------------------------------------------------------------------------


def change_ideas_for(*, instrument_id, domain_key=None) -> QuerySet[ChangeIdea]:
    """The active change-library entries of an instrument (for one domain when given), best
    first (the library's own order)."""
    queryset = ChangeIdea.objects.filter(instrument_id=instrument_id, is_active=True)
    if domain_key is not None:
        queryset = queryset.filter(domain_key=domain_key)
    return queryset.order_by("domain_key", "position", "pk")


def best_change_ideas(*, instrument_id) -> dict[str, ChangeIdea]:
    """Domain key -> the instrument's first active change idea for it (the library's best):
    what a drafted plan proposes for each weak domain."""
    best: dict[str, ChangeIdea] = {}
    for idea in change_ideas_for(instrument_id=instrument_id):
        best.setdefault(idea.domain_key, idea)
    return best


def active_change_ideas() -> QuerySet[ChangeIdea]:
    """Every active change idea of the program, by instrument: what a plan without an
    assessment can take goals from."""
    return ChangeIdea.objects.filter(is_active=True).order_by(
        "instrument__name", "domain_key", "position", "pk"
    )


def change_ideas_in_program() -> QuerySet[ChangeIdea]:
    """Every change idea of the program, active or retired, with its instrument: for looking
    up an idea named in input (refusing a retired one is the plan service's business)."""
    return ChangeIdea.objects.select_related("instrument")
