"""Targets and bodies for the permission tables' rows of instruments, assessments and plans.

Each row acts on objects built here, in the world's program: an instrument with a published
version (and, for the builder's rows, a draft), and per practice ("theirs" = world.practice,
"other" = world.other_practice) the assessment round or plan the route needs in the state that
lets an allowed request change something (an open round for answering, a submittable one for
submitting, a draft plan ready to accept, an active plan for moving actions...).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from assessments.models import AssessmentStatus, QuestionKind, VersionStatus
from coaching.models import PlanStatus
from psp.tenancy.scope import program_scope
from tests import factories as f

PREFIXES = (
    "instruments:",
    "assessments:",
    "plans:",
    "instruments-",
    "instrument-versions-",
    "change-ideas-",
    "assessments-",
    "domain-scores-",
    "plans-",
    "plan-goals-",
    "plan-actions-",
)

LATER = (timezone.localdate() + timedelta(days=120)).isoformat()


def handles(route: str) -> bool:
    return route.startswith(PREFIXES)


@dataclass
class Target:
    kwargs: dict
    body: dict = field(default_factory=dict)


# The program's instrument ---------------------------------------------------------------------


@dataclass
class Library:
    instrument: object
    published: object
    questions: list  # of the published version: a required scale, a required yes/no
    domains: list
    ideas: list  # two for the first domain, one for the second


def library(world) -> Library:
    program = world.program
    instrument = f.InstrumentFactory(program=program, key="readiness", name="Practice readiness")
    published = f.InstrumentVersionFactory(program=program, instrument=instrument, number=1)
    roles = f.DomainFactory(program=program, version=published, key="team-roles", position=0)
    access = f.DomainFactory(program=program, version=published, key="access", position=1)
    scale = f.QuestionFactory(program=program, version=published, domain=roles, key="roles")
    yes_no = f.QuestionFactory(
        program=program,
        version=published,
        domain=access,
        key="same-day",
        kind=QuestionKind.YES_NO,
        text="Patients can get a same-day appointment.",
    )
    ideas = [
        f.ChangeIdeaFactory(program=program, instrument=instrument, domain_key="team-roles"),
        f.ChangeIdeaFactory(
            program=program,
            instrument=instrument,
            domain_key="team-roles",
            goal="Run a daily huddle",
            position=1,
        ),
        f.ChangeIdeaFactory(
            program=program, instrument=instrument, domain_key="access", goal="Open same-day slots"
        ),
    ]
    return Library(instrument, published, [scale, yes_no], [roles, access], ideas)


@dataclass
class Draft:
    version: object
    domains: list  # two
    questions: list  # scale and single choice in the first domain, yes/no in the second
    options: list  # three options of the single-choice question


def draft_of(world, lib: Library) -> Draft:
    """Version 2 of the instrument, a draft complete enough to publish."""
    program = world.program
    version = f.InstrumentVersionFactory(
        program=program,
        instrument=lib.instrument,
        number=2,
        status=VersionStatus.DRAFT,
        published_at=None,
    )
    first = f.DomainFactory(program=program, version=version, key="team-roles", position=0)
    second = f.DomainFactory(program=program, version=version, key="access", position=1)
    scale = f.QuestionFactory(program=program, version=version, domain=first, position=0)
    single = f.QuestionFactory(
        program=program, version=version, domain=first, kind=QuestionKind.SINGLE, position=1
    )
    yes_no = f.QuestionFactory(
        program=program, version=version, domain=second, kind=QuestionKind.YES_NO
    )
    options = [
        f.OptionFactory(program=program, question=single, score=score, position=score)
        for score in (0, 1, 2)
    ]
    return Draft(version, [first, second], [scale, single, yes_no], options)


def instrument_target(world, lib: Library, name: str, route: str) -> Target:
    """Rows about the program's instrument (no practice involved)."""
    api = ":" not in route
    if name == "-":
        return Target({}, _instrument_create_body(world, lib, route))
    if name == "instrument":
        if route == "instruments-publish":
            draft_of(world, lib)
        kwarg = "instrument_pk" if route == "instruments:idea_create" else "pk"
        body = {
            "instruments:settings": _instrument_fields("Readiness, revised"),
            "instruments-detail": _instrument_fields("Readiness, revised"),
            "instruments:idea_create": _idea_fields("team-roles", "Write down who does what"),
            "instruments-publish": {"change_note": "Clearer wording"},
            "instruments-new-draft": {"change_note": "Next edition"},
        }.get(route, {})
        return Target({kwarg: lib.instrument.pk}, body)
    if name == "published":
        body = {"instruments:new_draft": {"change_note": "Next edition"}}.get(route, {})
        return Target({"pk": lib.published.pk}, body)
    if name == "idea":
        idea = lib.ideas[0]
        body = {
            "instruments:idea_edit": _idea_fields("team-roles", "Agree who does what, in writing"),
            "instruments:idea_active": {"active": "0"},
            "change-ideas-detail": {**_idea_fields("team-roles", "Agree roles"), "is_active": True}
            | {"instrument": lib.instrument.pk, "suggested_actions": ["Map the tasks"]},
        }.get(route, {})
        return Target({"pk": idea.pk}, body)
    draft = draft_of(world, lib)
    first_domain, second_domain = draft.domains
    scale, single, _ = draft.questions
    if name == "draft":
        kwarg = "instrumentversion_pk" if route == "instruments:domain_create" else "pk"
        body = {
            "instruments:publish": {"change_note": "Clearer wording"},
            "instruments:domain_create": {"name": "Leadership", "key": "", "description": ""},
        }.get(route, {})
        return Target({kwarg: draft.version.pk}, body)
    if name == "draft_domain":
        if route == "instruments:question_create":
            return Target({"domain_pk": first_domain.pk}, _question_fields(first_domain, "New"))
        domain = second_domain if route == "instruments:domain_delete" else first_domain
        body = {
            "instruments:domain_edit": {"name": "Roles and huddles", "key": domain.key},
            "instruments:domain_move": {"direction": "down"},
        }.get(route, {})
        return Target({"pk": domain.pk}, body)
    if name == "draft_question":
        if route == "instruments:option_create":
            body = {"label": "Most weeks", "value": "", "score": "1"}
            return Target({"question_pk": single.pk}, body)
        body = {
            "instruments:question_edit": _question_fields(first_domain, "Reworded"),
            "instruments:question_move": {"direction": "down"},
        }.get(route, {})
        return Target({"pk": scale.pk}, body)
    if name == "draft_option":
        option = draft.options[0]
        body = {
            "instruments:option_edit": {"label": "Never", "value": option.value, "score": "0"},
            "instruments:option_move": {"direction": "down"},
        }.get(route, {})
        return Target({"pk": option.pk}, body)
    if name == "version":
        return Target({"pk": lib.published.pk}, {})
    raise AssertionError(f"unknown instrument target {name} (api={api})")


def _instrument_fields(name: str) -> dict:
    return {
        "name": name,
        "sector": "primary_care",
        "description": "How ready the practice is.",
        "cadence_months": 6,
        "weak_threshold": 60,
    }


def _idea_fields(domain_key: str, goal: str) -> dict:
    return {
        "domain_key": domain_key,
        "goal": goal,
        "rationale": "Clear roles free the physicians' time.",
        "suggested_measure": "A roles chart",
        "suggested_actions": "Map the tasks\nAgree at a team meeting",
        "kpi_key": "",
    }


def _question_fields(domain, text: str) -> dict:
    return {
        "domain": domain.pk,
        "text": f"{text}: the team meets every week.",
        "help_text": "",
        "kind": QuestionKind.SCALE,
        "key": "",
        "required": "on",
        "scored": "on",
        "weight": "1",
        "scale_min": "1",
        "scale_max": "5",
        "scale_labels": "1: Never\n5: Every week",
        "yes_is_positive": "on",
        "number_min": "",
        "number_max": "",
        "unit": "",
    }


def _instrument_create_body(world, lib: Library, route: str) -> dict:
    return {
        "instruments:create": {**_instrument_fields("Team climate"), "key": "team-climate"},
        "instruments-list": {**_instrument_fields("Team climate"), "key": "team-climate"},
        "instruments:packs": {"pack": "law-practice-review"},
        "instruments-load-pack": {"pack": "law-practice-review"},
        "change-ideas-list": {
            **_idea_fields("access", "Book by demand"),
            "instrument": lib.instrument.pk,
            "suggested_actions": ["Count the requests"],
        },
    }.get(route, {})


# A practice's rounds and plans ----------------------------------------------------------------


def practice_target(world, user, lib: Library, name: str, route: str) -> Target:
    """Rows about a practice's assessment or plan: `theirs`, `other`, or `-` for creating one
    for the person's own (or assigned) practice."""
    if name == "-":
        return Target({}, _practice_create_body(world, lib, route))
    practice = world.practice if name == "theirs" else world.other_practice
    coach = world.coach if name == "theirs" else world.other_coach
    if route.startswith(("assessments", "domain-scores")):
        return _round_target(world, user, lib, practice, coach, route)
    return _plan_target(world, lib, practice, coach, route)


def _round_target(world, user, lib, practice, coach, route) -> Target:
    program = world.program
    scale, yes_no = lib.questions
    submitted = route in ("assessments:results", "assessments-comparison") or route.startswith(
        "domain-scores"
    )
    if submitted:
        round_ = scored_round(world, lib, practice)
        if route.startswith("domain-scores"):
            return Target({"pk": round_.domain_scores.first().pk})
        return Target({"pk": round_.pk})
    round_ = f.AssessmentFactory(program=program, practice=practice, version=lib.published)
    if route in ("assessments:submit", "assessments-submit"):
        # The coach has answered everything and submitted: the round can be scored.
        _answered(program, round_, coach, lib, submitted_at=timezone.now())
    if route == "assessments-submit-response":
        _answered(program, round_, user, lib, submitted_at=None)
    body = {
        "assessments:answer": {"step": "1", f"q-{scale.pk}": "4", "action": "save"},
        "assessments:answer_save": {"question": scale.pk, f"q-{scale.pk}": "4"},
        "assessments:consensus_record": {
            "question": scale.pk,
            f"c-{scale.pk}": "3",
            "note": "Agreed at the visit",
        },
        "assessments-answers": {"answers": [{"question": scale.pk, "value": 4}]},
        "assessments-consensus": {"question": scale.pk, "value": 3, "note": "Agreed"},
    }.get(route, {})
    return Target({"pk": round_.pk}, body)


def _answered(program, round_, person, lib, *, submitted_at):
    response = f.ResponseFactory(
        program=program, assessment=round_, respondent=person, submitted_at=submitted_at
    )
    scale, yes_no = lib.questions
    f.AnswerFactory(program=program, response=response, question=scale, value=2)
    f.AnswerFactory(program=program, response=response, question=yes_no, value=False)
    return response


def scored_round(world, lib, practice):
    """A submitted round with its domain scores stored: team roles weak, access strong."""
    program = world.program
    round_ = f.AssessmentFactory(
        program=program,
        practice=practice,
        version=lib.published,
        status=AssessmentStatus.SUBMITTED,
        submitted_at=timezone.now(),
        overall_score=55,
    )
    roles, access = lib.domains
    f.DomainScoreFactory(
        program=program, assessment=round_, domain=roles, achieved_points=1, percent=25
    )
    f.DomainScoreFactory(
        program=program, assessment=round_, domain=access, achieved_points=10, percent=100
    )
    return round_


def _plan_target(world, lib, practice, coach, route) -> Target:
    if route == "plans:draft":
        return Target({"assessment_pk": scored_round(world, lib, practice).pk})
    active = route in ("plans:complete", "plans-complete", "plan-actions-status")
    plan, goal, action = plan_with_goal(world, lib, practice, coach, active=active)
    if route.startswith("plans:goal_") or route == "plans:action_add":
        kwargs = {"plangoal_pk": goal.pk}
        if route == "plans:goal_add":
            kwargs = {"supportplan_pk": plan.pk}
    elif route.startswith("plans:action_"):
        kwargs = {"planaction_pk": action.pk}
    elif route.startswith("plan-goals"):
        kwargs = {"pk": goal.pk}
    elif route.startswith("plan-actions"):
        kwargs = {"pk": action.pk}
    else:
        kwargs = {"pk": plan.pk}
    action_fields = {"title": "Print the roles chart", "owner": coach.pk, "due_on": LATER}
    goal_fields = {"title": "Clear roles", "measure": "A signed roles chart", "target_date": LATER}
    body = {
        "plans:edit": {"title": "Riverside plan, revised", "summary": "Agreed with the lead."},
        "plans:goal_add": {"title": "Our own goal", "measure": "Done by spring"},
        "plans:goal_edit": goal_fields,
        "plans:goal_swap": {"change_idea": lib.ideas[1].pk},
        "plans:action_add": action_fields,
        "plans:action_edit": {**action_fields, "title": "Laminate the roles chart"},
        "plans-detail": {"title": "Riverside plan, revised", "summary": "Agreed with the lead."},
        "plan-goals-detail": {**goal_fields, "plan": plan.pk},
        "plan-goals-swap": {"change_idea": lib.ideas[1].pk},
        "plan-actions-detail": {**action_fields, "goal": goal.pk},
        "plan-actions-status": {"status": "in_progress"},
    }.get(route, {})
    return Target(kwargs, body)


def plan_with_goal(world, lib, practice, coach, *, active: bool):
    """A plan drafted from a scored round of the practice: one goal from the change library with
    a measurable target and date, one action with an owner and due date (ready to accept)."""
    program = world.program
    round_ = scored_round(world, lib, practice)
    plan = f.SupportPlanFactory(
        program=program,
        practice=practice,
        assessment=round_,
        status=PlanStatus.ACTIVE if active else PlanStatus.DRAFT,
        accepted_at=timezone.now() if active else None,
    )
    goal = f.PlanGoalFactory(
        program=program, plan=plan, change_idea=lib.ideas[0], domain_key="team-roles"
    )
    action = f.PlanActionFactory(program=program, plan=plan, goal=goal, owner=coach)
    return plan, goal, action


def _practice_create_body(world, lib: Library, route: str) -> dict:
    practice = world.practice
    if route in ("assessments:open", "assessments-list"):
        return {"practice": practice.pk, "version": lib.published.pk}
    if route == "plans-list":
        return {"assessment": scored_round(world, lib, practice).pk}
    if route == "plan-goals-list":
        plan, _, _ = plan_with_goal(world, lib, practice, world.coach, active=False)
        return {"plan": plan.pk, "title": "Our own goal", "measure": "Done by spring"}
    if route == "plan-actions-list":
        _, goal, _ = plan_with_goal(world, lib, practice, world.coach, active=False)
        return {"goal": goal.pk, "title": "Call the vendor", "owner": world.lead.pk}
    return {}


def target(world, user, name: str, route: str) -> Target:
    with program_scope(world.program):
        lib = library(world)
        if route.startswith(("instruments", "instrument-versions", "change-ideas")):
            return instrument_target(world, lib, name, route)
        return practice_target(world, user, lib, name, route)
