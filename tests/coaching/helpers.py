"""Small builders for plan tests: an instrument with domains and a change library, and a
submitted assessment with stored domain scores. Rows are created directly (not through the
assessment services), so these tests depend only on the models."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentStatus,
    ChangeIdea,
    Domain,
    DomainScore,
    Instrument,
    InstrumentVersion,
    VersionStatus,
)
from coaching.models import PlanAction, PlanGoal
from coaching.plans import services
from psp.tenancy.scope import program_scope

# key -> name, in the instrument's order.
DOMAINS = {
    "team-roles": "Team roles",
    "workflow": "Workflow and scheduling",
    "ehr-use": "EHR / technology use",
    "privacy": "Privacy and consent",
    "quality": "Quality measurement",
}


def instrument_in(program, *, key="readiness", weak_threshold=60, domains=DOMAINS):
    """A published instrument version with `domains`: (instrument, version, {key: Domain})."""
    with program_scope(program):
        instrument = Instrument.objects.create(
            program=program,
            key=key,
            name=f"Practice readiness ({key})",
            weak_threshold=weak_threshold,
        )
        version = InstrumentVersion.objects.create(
            program=program,
            instrument=instrument,
            number=1,
            status=VersionStatus.PUBLISHED,
            published_at=timezone.now(),
        )
        by_key = {
            domain_key: Domain.objects.create(
                program=program, version=version, key=domain_key, name=name, position=i
            )
            for i, (domain_key, name) in enumerate(domains.items())
        }
    return instrument, version, by_key


def idea_in(program, instrument, domain_key, goal, *, actions=(), position=0, **extra):
    with program_scope(program):
        return ChangeIdea.objects.create(
            program=program,
            instrument=instrument,
            domain_key=domain_key,
            goal=goal,
            suggested_measure=extra.pop("suggested_measure", f"Measured: {goal}"),
            suggested_actions=list(actions),
            position=position,
            **extra,
        )


def assessment_in(program, practice, version, percents: dict, *, submitted=True):
    """An assessment of `practice` with a stored score per domain key ({key: percent or None})."""
    with program_scope(program):
        domains = {d.key: d for d in Domain.objects.filter(version=version)}
        assessment = Assessment.objects.create(
            program=program,
            practice=practice,
            version=version,
            status=AssessmentStatus.SUBMITTED if submitted else AssessmentStatus.OPEN,
            opened_at=timezone.now() - timedelta(days=7),
            submitted_at=timezone.now() if submitted else None,
        )
        for key, percent in percents.items():
            domain = domains[key]
            DomainScore.objects.create(
                program=program,
                assessment=assessment,
                domain=domain,
                domain_key=key,
                domain_name=domain.name,
                position=domain.position,
                achieved_points=Decimal(percent or 0),
                attainable_points=Decimal(100),
                percent=None if percent is None else Decimal(str(percent)),
            )
    return assessment


def library_in(program, instrument):
    """A change library: two ideas for workflow (the first is the best), one each for EHR use,
    privacy and team roles; quality has none."""
    return {
        "workflow": idea_in(
            program,
            instrument,
            "workflow",
            "Offer same-day appointments",
            actions=["Measure third-next-available", "Reserve same-day slots", "Review weekly"],
            suggested_measure="Third-next-available appointment under 3 days",
            kpi_key="tnaa",
        ),
        "workflow-2": idea_in(
            program,
            instrument,
            "workflow",
            "Plan the day in a morning huddle",
            actions=["Hold a 10-minute huddle daily", "Keep a huddle checklist"],
            position=1,
        ),
        "ehr-use": idea_in(
            program,
            instrument,
            "ehr-use",
            "Use the EHR's recall lists",
            actions=["Train staff on recall lists", "Run recalls monthly"],
        ),
        "privacy": idea_in(
            program,
            instrument,
            "privacy",
            "Refresh consent forms",
            actions=["Review consent forms"],
        ),
        "team-roles": idea_in(
            program, instrument, "team-roles", "Write down who does what", actions=["Draft a RACI"]
        ),
    }


# The usual scores: workflow and EHR use are weak (below 60), workflow the weakest.
WEAK_TWO = {"team-roles": 75, "workflow": 35, "ehr-use": 52.5, "privacy": 80, "quality": 64}


@dataclass
class Setup:
    instrument: object
    version: object
    domains: dict
    ideas: dict
    assessment: object
    plan: object


def drafted_setup(world, percents=WEAK_TWO):
    """An instrument with a library, a submitted assessment of world.practice and a plan drafted
    from it by the practice's coach. Returns a namespace of all of them."""
    instrument, version, domains = instrument_in(world.program)
    ideas = library_in(world.program, instrument)
    assessment = assessment_in(world.program, world.practice, version, percents)
    with program_scope(world.program):
        plan = services.plan_draft_from_assessment(
            program=world.program, assessment=assessment, by=world.coach
        )
    return Setup(instrument, version, domains, ideas, assessment, plan)


def make_acceptable(world, plan, owner=None):
    """Give every goal of the plan a measure and every action an owner and due date, so the plan
    can be accepted."""
    with program_scope(world.program):
        PlanGoal.objects.filter(plan=plan, measure="").update(measure="Agreed with the practice")
        PlanAction.objects.filter(plan=plan).update(
            owner=owner or world.lead, due_on=timezone.localdate() + timedelta(days=30)
        )
