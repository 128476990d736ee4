"""The matrix on the API, role by role, each role with its own token: allowed (and it happened),
403 for a practice the caller sees but may not act on, 404 for one out of reach. Written out by
hand, like tests/permissions/test_matrix.py."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from psp.tenancy.scope import program_scope
from tests import factories as f
from tests.permissions import (
    cells_assessments,
    cells_coaching,
    cells_compliance_instances,
    cells_compliance_templates,
    cells_cpd_activities,
    cells_cpd_claims,
    cells_cpd_progress,
)
from tests.permissions.cells import assert_cell, create_body, new_token, parse, state, target
from tests.tenancy.routes import program_routes

# theirs: the coach's assigned practice, the lead's and staff's own; other: none of theirs.
# A capability the role holds nowhere is refused (403) before any object is looked up, whatever
# the id, so it tells nothing about what exists (test_refusal_does_not_depend_on_the_id);
# the pages look the practice up first and answer 404 there.
# Instruments are the program's (see test_pages.py); rounds and plans are of `theirs` or `other`
# practice (tests/permissions/cells_assessments.py).
# Invitations are for people managers, except that a lead may invite into their own practice
# (the body below invites into the lead's practice), as on the pages.
# Visits, actions agreed at visits, caseloads and feedback (tests/permissions/cells_coaching.py):
# `theirs`/`someone_elses_visit`/`other` visits as on the pages; changing one takes visit.log, so
# a role that logs no visits gets 403 whatever the id, and a coach finds the visit among those
# they see (else 404), then changes it only if it is their own (else 403). `visit_action` and
# `other_visit_action`: an action agreed at a visit, with no plan, of `theirs`/`other` practice.
# `own_invite`/`someone_elses_invite`: a feedback invitation for the caller or for anyone else
# (404). `coach`/`other_coach`: one coach's feedback results (world.coach, world.other_coach).
# KPI definitions are the program's (`kpi`), read by everyone who sees KPIs and changed by
# admins; `kpi_target` is a practice's own target, for admins only.
# The caseload rules (`-`) are one resource per program: PUT replaces them, PATCH changes some.
# feedback-invites-list takes no POST (405: invitations are made by logging a visit).
# API tokens are for admins, managers and coaches (api_tokens.own); every role here calls the
# API with a token made below that rule (cells.new_token), as a token made before it keeps working.
# Notifications are everyone's own (notifications.own), as on the pages.
# Reports and report subscriptions as on the pages (tests/permissions/cells_reports.py); the POST
# asks for world.practice's report card, and subscribes to the program report.
# CPD schemes (tests/permissions/cells_cpd_schemes.py) are read by everyone who records CPD (a
# person reads the rules they are under); admins write them and name the verifiers.
# Evidence files as on the pages (tests/permissions/cells_evidence.py); the list is the caller's
# own uploads, so everyone may read it.
#  route                       method target       admin manager coach lead staff
API = """
practices-list                 GET    -            ok    ok      ok    ok   ok
practices-list                 POST   -            ok    403     403   403  403
practices-detail               GET    theirs       ok    ok      ok    ok   ok
practices-detail               GET    other        ok    ok      404   404  404
practices-detail               PATCH  theirs       ok    403     ok    ok   403
practices-detail               PUT    theirs       ok    403     ok    ok   403
practices-detail               PATCH  other        ok    403     404   404  403
practices-stage                POST   theirs       ok    403     ok    403  403
practices-stage                POST   other        ok    403     404   403  403
practices-stage-history        GET    theirs       ok    ok      ok    ok   ok
practices-stage-history        GET    other        ok    ok      404   404  404
coach-assignments-list         GET    -            ok    ok      ok    ok   ok
coach-assignments-list         POST   -            ok    403     403   403  403
coach-assignments-detail       GET    theirs       ok    ok      ok    ok   ok
coach-assignments-detail       GET    other        ok    ok      404   404  404
coach-assignments-detail       DELETE theirs       ok    403     403   403  403
coach-assignments-detail       DELETE other        ok    403     403   403  403
practice-memberships-list      GET    -            ok    ok      ok    ok   ok
practice-memberships-detail    GET    theirs       ok    ok      ok    ok   ok
practice-memberships-detail    GET    other        ok    ok      404   404  404
member-list                    GET    -            ok    ok      403   403  403
member-detail                  GET    member       ok    ok      403   403  403
invitation-list                GET    -            ok    ok      403   403  403
invitation-list                POST   -            ok    403     403   ok   403
invitation-detail              GET    invitation   ok    ok      403   403  403
invitation-resend              POST   invitation   ok    403     403   403  403
invitation-revoke              POST   invitation   ok    403     403   403  403
instruments-list               GET    -            ok    ok      ok    ok   ok
instruments-list               POST   -            ok    403     403   403  403
kpi-definitions-list           GET    -            ok    ok      ok    ok   ok
kpi-definitions-list           POST   -            ok    403     403   403  403
kpi-definitions-detail         GET    kpi          ok    ok      ok    ok   ok
kpi-definitions-detail         PATCH  kpi          ok    403     403   403  403
kpi-definitions-detail         PUT    kpi          ok    403     403   403  403
kpi-definitions-detail         DELETE kpi          ok    403     403   403  403
kpi-definitions-history        GET    kpi          ok    ok      ok    ok   ok
kpi-targets-list               GET    -            ok    403     403   403  403
kpi-targets-list               POST   -            ok    403     403   403  403
kpi-targets-detail             GET    kpi_target   ok    403     403   403  403
kpi-targets-detail             PATCH  kpi_target   ok    403     403   403  403
kpi-targets-detail             PUT    kpi_target   ok    403     403   403  403
kpi-targets-detail             DELETE kpi_target   ok    403     403   403  403
instruments-packs              GET    -            ok    403     403   403  403
instruments-load-pack          POST   -            ok    403     403   403  403
instruments-detail             GET    instrument   ok    ok      ok    ok   ok
instruments-detail             PATCH  instrument   ok    403     403   403  403
instruments-detail             PUT    instrument   ok    403     403   403  403
instruments-new-draft          POST   instrument   ok    403     403   403  403
instruments-publish            POST   instrument   ok    403     403   403  403
instrument-versions-list       GET    -            ok    ok      ok    ok   ok
instrument-versions-detail     GET    version      ok    ok      ok    ok   ok
change-ideas-list              GET    -            ok    ok      ok    ok   ok
change-ideas-list              POST   -            ok    403     403   403  403
change-ideas-detail            GET    idea         ok    ok      ok    ok   ok
change-ideas-detail            PATCH  idea         ok    403     403   403  403
change-ideas-detail            PUT    idea         ok    403     403   403  403
change-ideas-detail            DELETE idea         ok    403     403   403  403
assessments-list               GET    -            ok    ok      ok    ok   ok
assessments-list               POST   -            ok    403     ok    ok   403
assessments-detail             GET    theirs       ok    ok      ok    ok   ok
assessments-detail             GET    other        ok    ok      404   404  404
assessments-history            GET    theirs       ok    ok      ok    ok   ok
assessments-history            GET    other        ok    ok      404   404  404
assessments-answers            GET    theirs       403   403     ok    ok   ok
assessments-answers            GET    other        403   403     404   404  404
assessments-answers            POST   theirs       403   403     ok    ok   ok
assessments-answers            POST   other        403   403     404   404  404
assessments-submit-response    POST   theirs       403   403     ok    ok   ok
assessments-submit-response    POST   other        403   403     404   404  404
assessments-consensus          GET    theirs       ok    ok      ok    ok   ok
assessments-consensus          GET    other        ok    ok      404   404  404
assessments-consensus          POST   theirs       403   403     ok    ok   403
assessments-consensus          POST   other        403   403     404   404  403
assessments-submit             POST   theirs       403   403     ok    ok   403
assessments-submit             POST   other        403   403     404   404  403
assessments-comparison         GET    theirs       ok    ok      ok    ok   ok
assessments-comparison         GET    other        ok    ok      404   404  404
domain-scores-list             GET    -            ok    ok      ok    ok   ok
domain-scores-detail           GET    theirs       ok    ok      ok    ok   ok
domain-scores-detail           GET    other        ok    ok      404   404  404
plans-list                     GET    -            ok    ok      ok    ok   ok
plans-list                     POST   -            ok    403     ok    ok   403
plans-detail                   GET    theirs       ok    ok      ok    ok   ok
plans-detail                   GET    other        ok    ok      404   404  404
plans-history                  GET    theirs       ok    ok      ok    ok   ok
plans-history                  GET    other        ok    ok      404   404  404
plans-detail                   PATCH  theirs       ok    403     ok    ok   403
plans-detail                   PUT    theirs       ok    403     ok    ok   403
plans-detail                   PATCH  other        ok    403     404   404  403
plans-detail                   DELETE theirs       ok    403     ok    ok   403
plans-detail                   DELETE other        ok    403     404   404  403
plans-accept                   POST   theirs       ok    403     ok    ok   403
plans-accept                   POST   other        ok    403     404   404  403
plans-complete                 POST   theirs       ok    403     ok    ok   403
plans-complete                 POST   other        ok    403     404   404  403
plan-goals-list                GET    -            ok    ok      ok    ok   ok
plan-goals-list                POST   -            ok    403     ok    ok   403
plan-goals-detail              GET    theirs       ok    ok      ok    ok   ok
plan-goals-detail              GET    other        ok    ok      404   404  404
plan-goals-detail              PATCH  theirs       ok    403     ok    ok   403
plan-goals-detail              PUT    theirs       ok    403     ok    ok   403
plan-goals-detail              PATCH  other        ok    403     404   404  403
plan-goals-detail              DELETE theirs       ok    403     ok    ok   403
plan-goals-detail              DELETE other        ok    403     404   404  403
plan-goals-swap                POST   theirs       ok    403     ok    ok   403
plan-goals-swap                POST   other        ok    403     404   404  403
pdsa-cycles-list               GET    -            ok    ok      ok    ok   ok
pdsa-cycles-list               POST   -            ok    403     ok    ok   403
pdsa-cycles-detail             GET    theirs       ok    ok      ok    ok   ok
pdsa-cycles-detail             GET    other        ok    ok      404   404  404
pdsa-cycles-detail             PATCH  theirs       ok    403     ok    ok   403
pdsa-cycles-detail             PUT    theirs       ok    403     ok    ok   403
pdsa-cycles-detail             PATCH  other        ok    403     404   404  403
pdsa-cycles-move               POST   theirs       ok    403     ok    ok   403
pdsa-cycles-move               POST   other        ok    403     404   404  403
plan-actions-list              GET    -            ok    ok      ok    ok   ok
plan-actions-list              POST   -            ok    403     ok    ok   403
plan-actions-detail            GET    theirs       ok    ok      ok    ok   ok
plan-actions-detail            GET    other        ok    ok      404   404  404
plan-actions-detail            PATCH  theirs       ok    403     ok    ok   403
plan-actions-detail            PUT    theirs       ok    403     ok    ok   403
plan-actions-detail            PATCH  other        ok    403     404   404  403
plan-actions-detail            DELETE theirs       ok    403     ok    ok   403
plan-actions-detail            DELETE other        ok    403     404   404  403
plan-actions-status            POST   theirs       ok    403     ok    ok   ok
plan-actions-status            POST   other        ok    403     404   404  404
plan-actions-detail            GET    visit_action ok    ok      ok    ok   ok
plan-actions-detail            GET    other_visit_action ok ok    404   404  404
plan-actions-detail            PATCH  visit_action ok    403     ok    ok   403
plan-actions-detail            PATCH  other_visit_action ok 403   404   404  403
plan-actions-detail            DELETE visit_action ok    403     ok    ok   403
plan-actions-status            POST   visit_action ok    403     ok    ok   ok
plan-actions-status            POST   other_visit_action ok 403   404   404  404
plan-actions-history           GET    theirs       ok    ok      ok    ok   ok
plan-actions-history           GET    other        ok    ok      404   404  404
plan-actions-history           GET    visit_action ok    ok      ok    ok   ok
visits-list                    GET    -            ok    ok      ok    ok   ok
visits-list                    POST   -            403   403     ok    403  403
visits-detail                  GET    theirs       ok    ok      ok    ok   ok
visits-detail                  GET    other        ok    ok      404   404  404
visits-detail                  PATCH  theirs       403   403     ok    403  403
visits-detail                  PUT    theirs       403   403     ok    403  403
visits-detail                  PATCH  someone_elses_visit 403 403  403   403  403
visits-detail                  PATCH  other        403   403     404   403  403
visits-history                 GET    theirs       ok    ok      ok    ok   ok
visits-history                 GET    other        ok    ok      404   404  404
visits-complete                POST   theirs       403   403     ok    403  403
visits-complete                POST   someone_elses_visit 403 403  403   403  403
visits-complete                POST   other        403   403     404   403  403
visits-cancel                  POST   theirs       403   403     ok    403  403
visits-cancel                  POST   someone_elses_visit 403 403  403   403  403
visits-cancel                  POST   other        403   403     404   403  403
planned-visits-list            GET    -            ok    ok      ok    ok   ok
planned-visits-list            POST   -            403   403     ok    403  403
planned-visits-detail          GET    theirs       ok    ok      ok    ok   ok
planned-visits-detail          GET    other        ok    ok      404   404  404
caseload-list                  GET    -            ok    ok      ok    403  403
dose-list                      GET    -            ok    ok      ok    ok   ok
kpi-aggregates-list            GET    -            ok    ok      403   403  403
caseload-rules-list            GET    -            ok    ok      ok    403  403
checklist-status-list          GET    -            ok    ok      ok    ok   ok
checklists-due-list            GET    -            ok    ok      ok    ok   ok
caseload-rules-list            PUT    -            ok    403     403   403  403
caseload-rules-list            PATCH  -            ok    403     403   403  403
feedback-invites-list          GET    -            ok    ok      ok    ok   ok
feedback-invites-detail        GET    own_invite   ok    ok      ok    ok   ok
feedback-invites-detail        GET    someone_elses_invite 404 404 404   404  404
feedback-invites-respond       POST   own_invite   ok    ok      ok    ok   ok
feedback-invites-respond       POST   someone_elses_invite 404 404 404   404  404
feedback-invites-decline       POST   own_invite   ok    ok      ok    ok   ok
feedback-invites-decline       POST   someone_elses_invite 404 404 404   404  404
feedback-summary-list          GET    -            ok    ok      ok    403  403
feedback-summary-detail        GET    coach        ok    ok      ok    403  403
feedback-summary-detail        GET    other_coach  ok    ok      404   403  403
api-token-list                 GET    -            ok    ok      ok    403  403
api-token-list                 POST   -            ok    ok      ok    403  403
api-token-detail               GET    own_token    ok    ok      ok    403  403
api-token-detail               DELETE own_token    ok    ok      ok    403  403
api-token-detail               GET    someone_elses_token 404 404 404   403  403
program-settings-list          GET    -            ok    403     403   403  403
program-settings-list          PATCH  -            ok    403     403   403  403
notification-list              GET    -            ok    ok      ok    ok   ok
notification-detail            GET    own_notification ok ok     ok    ok   ok
notification-detail            GET    someone_elses_notification 404 404 404 404 404
notification-read              POST   own_notification ok ok     ok    ok   ok
notification-read              POST   someone_elses_notification 404 404 404 404 404
notification-read-all          POST   own_notification ok ok     ok    ok   ok
notification-preferences-list  GET    -            ok    ok      ok    ok   ok
notification-preferences-list  PUT    -            ok    ok      ok    ok   ok
notification-preferences-list  PATCH  -            ok    ok      ok    ok   ok
report-list                    GET    -            ok    ok      ok    ok   ok
report-list                    POST   -            ok    ok      ok    ok   403
report-list                    POST   own_transcript ok  ok      ok    ok   ok
report-list                    POST   staff_transcript ok ok     404   ok   ok
report-detail                  GET    own_report   ok    ok      ok    ok   ok
report-detail                  GET    someone_elses_report 404 404 404  404  404
report-download                GET    own_report   ok    ok      ok    ok   404
report-download                GET    someone_elses_report 404 404 404  404  404
report-subscription-list       GET    -            ok    ok      ok    ok   ok
report-subscription-list       POST   -            ok    ok      403   403  403
report-subscription-detail     GET    own_subscription ok ok     ok    ok   ok
report-subscription-detail     DELETE own_subscription ok ok     ok    ok   ok
report-subscription-detail     GET    someone_elses_subscription 404 404 404 404 404
kpi-values-list                GET    -            ok    ok      ok    ok   ok
kpi-values-detail              GET    theirs       ok    ok      ok    ok   ok
kpi-values-detail              GET    other        ok    ok      404   404  404
kpi-values-bulk                POST   -            ok    403     ok    ok   ok
cpd-schemes-list               GET    -            ok    ok      ok    ok   ok
cpd-schemes-list               POST   -            ok    403     403   403  403
cpd-schemes-detail             GET    scheme       ok    ok      ok    ok   ok
cpd-schemes-detail             PATCH  scheme       ok    403     403   403  403
cpd-schemes-detail             PUT    scheme       ok    403     403   403  403
cpd-schemes-versions           GET    scheme       ok    ok      ok    ok   ok
cpd-schemes-history            GET    scheme       ok    403     403   403  403
cpd-schemes-load-template      POST   -            ok    403     403   403  403
cpd-verifiers-list             GET    -            ok    403     403   403  403
cpd-verifiers-list             POST   -            ok    403     403   403  403
cpd-verifiers-detail           GET    verifier     ok    403     403   403  403
cpd-verifiers-detail           DELETE verifier     ok    403     403   403  403
evidence-file-list             GET    -            ok    ok      ok    ok   ok
evidence-file-detail           GET    staff_file   ok    ok      404   ok   ok
evidence-file-detail           GET    other_file   ok    ok      404   404  404
evidence-file-detail           DELETE staff_file   ok    403     404   403  ok
evidence-file-detail           DELETE other_file   ok    403     404   404  404
evidence-file-download         GET    staff_file   ok    ok      404   ok   ok
evidence-file-download         GET    other_file   ok    ok      404   404  404
"""
# CPD activities and program activities: their rows are in tests/permissions/
# cells_cpd_activities.py, with the targets they name.
API += cells_cpd_activities.API.lstrip()
# CPD progress and the program's completion: tests/permissions/cells_cpd_progress.py.
API += cells_cpd_progress.API.lstrip()
# CPD claims from QI work and the transcript import: tests/permissions/cells_cpd_claims.py.
API += cells_cpd_claims.API.lstrip()
# Practices' checklists: their rows are in tests/permissions/cells_compliance_instances.py.
API += cells_compliance_instances.API.lstrip()
# Checklist templates, packs and assignments: tests/permissions/cells_compliance_templates.py.
API += cells_compliance_templates.API.lstrip()


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method", "name", "role", "cell"), parse(API))
def test_api_cell(world, route, method, name, role, cell):
    user = world.user(role)
    aim = target(world, user, name, route)
    body = aim.body or create_body(world, route)
    url = reverse(route, kwargs={"program": world.program.slug, **aim.kwargs})
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {new_token(world, user).key}")
    before = state(world.program)
    send = getattr(client, method.lower())
    response = send(url) if method in ("GET", "DELETE") else send(url, body, format="json")
    assert_cell(
        response, cell, method, before, state(world.program), allowed_codes=(200, 201, 202, 204)
    )


def test_every_api_route_has_a_row():
    routes = {route.name for route in program_routes() if route.kind == "api"}
    covered = {line.split()[0] for line in API.strip().splitlines()}
    assert routes - covered == set(), "add these routes to API"
    assert covered - routes == set(), "API names routes that do not exist"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees_other_practice"),
    [("admin", True), ("manager", True), ("coach", False), ("lead", False), ("staff", False)],
)
def test_the_practice_list_returns_exactly_the_practices_in_reach(world, role, sees_other_practice):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {new_token(world, world.user(role)).key}")
    response = client.get(reverse("practices-list", kwargs={"program": world.program.slug}))
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    expected = {world.practice.pk} | ({world.other_practice.pk} if sees_other_practice else set())
    assert ids == expected


def _row_of(route: str, world, practice, row: str = ""):
    """A row of the route's model in `practice` (of `world`'s program); `row="visit_action"`:
    an action agreed at a visit of the practice, with no plan."""
    program = world.program
    if row == "visit_action":
        return cells_coaching.visit_action(world, practice, world.coach, None)
    if route.startswith("visits"):
        return cells_coaching.logged_visit(world, practice, world.coach)
    if route.startswith("coach-assignments"):
        return practice.coach_assignments.model.all_programs.filter(practice=practice).first()
    if route.startswith("assessments"):
        return f.AssessmentFactory(program=program, practice=practice)
    if route.startswith("plans"):
        return f.SupportPlanFactory(program=program, practice=practice)
    if route.startswith("plan-goals"):
        return f.PlanGoalFactory(
            program=program, plan=f.SupportPlanFactory(program=program, practice=practice)
        )
    if route.startswith("plan-actions"):
        return f.PlanActionFactory(
            program=program,
            goal=f.PlanGoalFactory(
                program=program, plan=f.SupportPlanFactory(program=program, practice=practice)
            ),
        )
    if route.startswith("instruments"):
        return f.InstrumentFactory(program=program)
    if route.startswith("cpd-activities"):
        return f.CpdActivityFactory(program=program, practice=practice, status="submitted")
    if route.startswith("cpd-offerings"):
        return f.CpdOfferingFactory(program=program)
    if route.startswith("change-ideas"):
        return f.ChangeIdeaFactory(program=program)
    return practice


def _attempts(route: str, world, other_world, row: str, body):
    """The (url, body) of each attempt. A route with an id: the caller's own practice's row,
    one out of reach, another program's and one that does not exist, with the same body. The
    caseload rules (one per program, no id): before and after the program saved its rules,
    with a valid body and a malformed one."""
    if route == "caseload-rules-list":
        url = reverse(route, kwargs={"program": world.program.slug})
        yield url, body
        yield url, {"stalled_days_without_visit": "soon", "no_plan_progress": "never"}
        f.CaseloadRulesFactory(program=world.program)
        yield url, body
        return
    ids = [
        _row_of(route, w, practice, row).pk
        for w, practice in (
            (world, world.practice),
            (world, world.other_practice),
            (other_world, other_world.practice),
        )
    ]
    for pk in [*ids, 999_999]:
        yield reverse(route, kwargs={"program": world.program.slug, "pk": pk}), body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "route", "method", "body", "row"),
    [
        ("staff", "practices-detail", "PATCH", {"region": "East"}, ""),
        ("lead", "practices-stage", "POST", {"stage": "pilot"}, ""),
        ("coach", "coach-assignments-detail", "DELETE", None, ""),
        ("lead", "instruments-publish", "POST", {}, ""),
        ("coach", "change-ideas-detail", "DELETE", None, ""),
        ("manager", "plans-detail", "PATCH", {"title": "Taken over"}, ""),
        ("staff", "plan-goals-swap", "POST", {}, ""),
        ("manager", "plan-actions-status", "POST", {"status": "done"}, ""),
        ("manager", "plan-actions-status", "POST", {"status": "done"}, "visit_action"),
        ("staff", "plan-actions-detail", "PATCH", {"title": "Ours now"}, "visit_action"),
        ("manager", "plan-actions-detail", "DELETE", None, "visit_action"),
        ("coach", "caseload-rules-list", "PUT", cells_coaching.RULES, ""),
        ("manager", "caseload-rules-list", "PATCH", {"stalled_days_without_visit": 120}, ""),
        ("manager", "visits-detail", "PATCH", {"notes": "Managed"}, ""),
        ("lead", "visits-cancel", "POST", {"reason": "Closed that day"}, ""),
        ("admin", "assessments-answers", "POST", {"answers": []}, ""),
        ("staff", "assessments-submit", "POST", {}, ""),
        ("manager", "cpd-activities-verify", "POST", {}, ""),
        ("lead", "cpd-activities-reject", "POST", {"reason": "No hours"}, ""),
        ("coach", "cpd-activities-request-evidence", "POST", {"message": "A slip"}, ""),
        ("manager", "cpd-offerings-attendees", "POST", {"people": []}, ""),
    ],
)
def test_refusal_does_not_depend_on_the_id(world, other_world, role, route, method, body, row):
    """Refused before any lookup: the same 403 for the caller's own practice's row, one out of
    reach, another program's and one that does not exist (and for the caseload rules, which
    have no id, whether they were saved yet and whatever the body)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {new_token(world, world.user(role)).key}")
    answers = set()
    for url, sent in _attempts(route, world, other_world, row, body):
        response = getattr(client, method.lower())(url, sent, format="json")
        answers.add((response.status_code, response.content))
    assert len(answers) == 1, answers
    assert answers.pop()[0] == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coach", "lead"])
@pytest.mark.parametrize(
    "route",
    [
        "assessments-list",
        "plans-list",
        "plan-goals-list",
        "plan-actions-list",
        "visits-list",
        "planned-visits-list",
    ],
)
def test_nothing_is_created_for_a_practice_out_of_reach_named_in_the_body(world, role, route):
    """Creating names its practice through the body (a practice, an assessment, a plan, a goal):
    one out of the caller's reach is refused and nothing is created."""
    with program_scope(world.program):
        lib = cells_assessments.library(world)
        other = world.other_practice
        _, goal, _ = cells_assessments.plan_with_goal(
            world, lib, other, world.other_coach, active=False
        )
        # A visit (logged or planned) to the other practice, as its own coach would send it.
        visit = {**cells_coaching.create_body(world, route), "practice": other.pk}
        visit.pop("attendees", None)
        visit.pop("new_actions", None)
        body = {
            "assessments-list": {"practice": other.pk, "version": lib.published.pk},
            "plans-list": {"assessment": cells_assessments.scored_round(world, lib, other).pk},
            "plan-goals-list": {"plan": goal.plan_id, "title": "Ours now"},
            "plan-actions-list": {"goal": goal.pk, "title": "Ours now"},
            "visits-list": visit,
            "planned-visits-list": visit,
        }[route]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {new_token(world, world.user(role)).key}")
    before = state(world.program)
    response = client.post(
        reverse(route, kwargs={"program": world.program.slug}), body, format="json"
    )
    assert response.status_code in (400, 403, 404), response.content
    assert state(world.program) == before
