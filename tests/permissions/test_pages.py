"""The matrix on the pages, role by role: allowed (and it happened), 403 for a practice the
person sees but may not act on, 404 for one out of their reach. Written out by hand, like
tests/permissions/test_matrix.py, so a change of behaviour has to be a change of this table."""

import pytest
from django.urls import reverse

from psp.tenancy.scope import program_scope
from tests.permissions import (
    cells_assessments,
    cells_compliance_instances,
    cells_compliance_templates,
    cells_cpd_activities,
    cells_cpd_claims,
    cells_cpd_progress,
)
from tests.permissions.cells import assert_cell, create_body, parse, state, target
from tests.tenancy.routes import program_routes

# theirs: the coach's assigned practice, the lead's and staff's own; other: none of theirs.
# Instruments are the program's, not a practice's: everyone sees them, only admins change them
# (instrument: the program's instrument; version/published: its published version; draft*: a
# draft version and its domains, questions and options). Rounds and plans are of `theirs` or
# `other` practice, each in the state an allowed request changes (tests/permissions/
# cells_assessments.py).
# Visits (tests/permissions/cells_coaching.py): `theirs` is world.coach's visit to their practice,
# `someone_elses_visit` another coach's visit to it (seen there, changed by its own coach only),
# `other` a visit to the other practice; logging, planning and changing visits is for coaches.
# Practice pages (timeline, dose, actions) take `theirs`/`other` practice; action pages an action
# agreed at a visit (no plan) of that practice, or (`plan_action`/`other_plan_action`) an action
# of its active plan: the plan page moves actions through the same actions:status. Feedback:
# `own_invite` is the person's own invitation, `someone_elses_invite` anyone else's (404
# whatever the role). Caseload pages and the program's dose are for admins, managers and
# coaches; the overview and changing the rules are program-wide (a coach's caseload has no
# overview of others').
# A practice's people page and its invitations (resend, revoke: `theirs`/`other` is an invitation
# into that practice) are for whoever may invite into the practice: its lead, and admins.
# API tokens are for the roles that integrate (api_tokens.own: admins, managers and coaches);
# the others are refused before any token is looked up (403), even someone else's.
# The program's settings and its background tasks (`failed_task`: a failed invitation email) are
# for its admins only.
# KPI values (tests/permissions/cells_values.py): entering them (the grid, one cell, the CSV
# import and its template) takes kpi.enter on the practice (`theirs`/`other`; the import's rows
# name world.practice): its lead and staff, its coaches and admins; managers only read values.
# Notifications are everyone's own (notifications.own): `own_notification` is an unread one of
# the caller's, `someone_elses_notification` another person's (404 whatever the role).
# KPI definitions (tests/permissions/cells_kpi_definitions.py) are the program's: everyone who
# sees KPIs reads them (`kpi`: a definition), only admins define them, set practices' own
# targets and load packs.
# CPD schemes (tests/permissions/cells_cpd_schemes.py) are set up by program admins only
# (cpd.define): `scheme` is one of the program's schemes, `verifier` a named verifier.
# PDSA cycles (tests/permissions/cells_pdsa.py) as the plan's goals: seen with the plans, planned
# and moved on with plan.edit; a practice's KPI dashboard (kpi.view) as its other pages.
# Reports (tests/permissions/cells_reports.py): a practice's report card for whoever reaches the
# practice with report.practice (a coach or lead asking for another practice's: 403), the program
# report and its subscriptions for admins and managers; a report or subscription is its owner's
# alone (anyone else's: 404). Staff make no practice or program reports (403) but have their
# reports page for their CPD documents (a practice card someone made them download is 404 once
# they lack its capability). A CPD transcript (`own_transcript`: of the caller's own cycle,
# `staff_transcript`: of the staff member's) is for the person and whoever reads their CPD;
# anyone else gets 404 (cpd/credentials/selectors.py).
# Evidence files (tests/permissions/cells_evidence.py) with the tests' own subject kind, as CPD
# will have it: a staff member's record (`staff_*`, in world.practice) or one in the other
# practice (`other_*`); its owner uploads and removes, whoever reads CPD there (admins,
# managers, the practice's lead) reads, admins also remove; the rest get 404 for it.
# Compliance follow-up (the overview, its CSV, the due list) is read by everyone with
# compliance.view, each over the practices it reaches for them.
#  route                       method target       admin manager coach lead staff
PAGES = """
program_home                   GET   -             ok    ok      ok    ok   ok
practices:list                 GET   -             ok    ok      ok    ok   ok
practices:options              GET   -             ok    ok      ok    ok   ok
practices:create               GET   -             ok    403     403   403  403
practices:create               POST  -             ok    403     403   403  403
practices:detail               GET   theirs        ok    ok      ok    ok   ok
practices:detail               GET   other         ok    ok      404   404  404
practices:edit                 GET   theirs        ok    403     ok    ok   403
practices:edit                 POST  theirs        ok    403     ok    ok   403
practices:edit                 POST  other         ok    403     404   404  404
practices:stage_move           GET   theirs        ok    403     ok    403  403
practices:stage_move           POST  theirs        ok    403     ok    403  403
practices:stage_move           POST  other         ok    403     404   404  404
practices:coach_assign         POST  theirs        ok    403     403   403  403
practices:coach_assign         POST  other         ok    403     404   404  404
practices:coach_unassign       POST  theirs        ok    403     403   403  403
practices:coach_unassign       POST  other         ok    403     404   404  404
practices:member_remove        POST  theirs        ok    403     403   ok   403
practices:member_remove        POST  other         ok    403     404   404  404
practices:people               GET   theirs        ok    403     403   ok   403
practices:people               GET   other         ok    403     404   404  404
practices:invitation_resend    POST  theirs        ok    403     403   ok   403
practices:invitation_resend    POST  other         ok    403     404   404  404
practices:invitation_revoke    POST  theirs        ok    403     403   ok   403
practices:invitation_revoke    POST  other         ok    403     404   404  404
people:list                    GET   -             ok    ok      403   403  403
people:invite                  GET   -             ok    403     403   ok   403
people:invite                  POST  -             ok    403     403   ok   403
people:member_role             POST  member        ok    403     403   403  403
people:member_deactivate       POST  member        ok    403     403   403  403
people:member_reactivate       POST  inactive      ok    403     403   403  403
people:invitation_resend       POST  invitation    ok    403     403   403  403
people:invitation_revoke       POST  invitation    ok    403     403   403  403
kpis:definitions               GET   -             ok    ok      ok    ok   ok
kpis:definition                GET   kpi           ok    ok      ok    ok   ok
kpis:definition_new            GET   -             ok    403     403   403  403
kpis:definition_new            POST  -             ok    403     403   403  403
kpis:definition_edit           GET   kpi           ok    403     403   403  403
kpis:definition_edit           POST  kpi           ok    403     403   403  403
kpis:definition_targets        GET   kpi           ok    403     403   403  403
kpis:definition_targets        POST  kpi           ok    403     403   403  403
kpis:packs                     GET   -             ok    403     403   403  403
kpis:packs                     POST  -             ok    403     403   403  403
instruments:list               GET   -             ok    ok      ok    ok   ok
instruments:create             GET   -             ok    403     403   403  403
instruments:create             POST  -             ok    403     403   403  403
instruments:packs              GET   -             ok    403     403   403  403
instruments:packs              POST  -             ok    403     403   403  403
instruments:detail             GET   instrument    ok    ok      ok    ok   ok
instruments:settings           GET   instrument    ok    403     403   403  403
instruments:settings           POST  instrument    ok    403     403   403  403
instruments:version            GET   version       ok    ok      ok    ok   ok
instruments:version            GET   draft         ok    ok      ok    ok   ok
instruments:publish            GET   draft         ok    403     403   403  403
instruments:publish            POST  draft         ok    403     403   403  403
instruments:new_draft          GET   published     ok    403     403   403  403
instruments:new_draft          POST  published     ok    403     403   403  403
instruments:discard            GET   draft         ok    403     403   403  403
instruments:discard            POST  draft         ok    403     403   403  403
instruments:domain_create      GET   draft         ok    403     403   403  403
instruments:domain_create      POST  draft         ok    403     403   403  403
instruments:domain_edit        GET   draft_domain  ok    403     403   403  403
instruments:domain_edit        POST  draft_domain  ok    403     403   403  403
instruments:domain_delete      POST  draft_domain  ok    403     403   403  403
instruments:domain_move        POST  draft_domain  ok    403     403   403  403
instruments:question_create    GET   draft_domain  ok    403     403   403  403
instruments:question_create    POST  draft_domain  ok    403     403   403  403
instruments:question_edit      GET   draft_question ok   403     403   403  403
instruments:question_edit      POST  draft_question ok   403     403   403  403
instruments:question_delete    POST  draft_question ok   403     403   403  403
instruments:question_move      POST  draft_question ok   403     403   403  403
instruments:option_create      GET   draft_question ok   403     403   403  403
instruments:option_create      POST  draft_question ok   403     403   403  403
instruments:option_edit        GET   draft_option  ok    403     403   403  403
instruments:option_edit        POST  draft_option  ok    403     403   403  403
instruments:option_delete      POST  draft_option  ok    403     403   403  403
instruments:option_move        POST  draft_option  ok    403     403   403  403
instruments:ideas              GET   instrument    ok    ok      ok    ok   ok
instruments:idea_create        GET   instrument    ok    403     403   403  403
instruments:idea_create        POST  instrument    ok    403     403   403  403
instruments:idea_edit          GET   idea          ok    403     403   403  403
instruments:idea_edit          POST  idea          ok    403     403   403  403
instruments:idea_active        POST  idea          ok    403     403   403  403
assessments:list               GET   -             ok    ok      ok    ok   ok
assessments:open               GET   -             ok    403     ok    ok   403
assessments:open               POST  -             ok    403     ok    ok   403
assessments:detail             GET   theirs        ok    ok      ok    ok   ok
assessments:detail             GET   other         ok    ok      404   404  404
assessments:history            GET   theirs        ok    ok      ok    ok   ok
assessments:history            GET   other         ok    ok      404   404  404
assessments:answer             GET   theirs        403   403     ok    ok   ok
assessments:answer             GET   other         403   403     404   404  404
assessments:answer             POST  theirs        403   403     ok    ok   ok
assessments:answer             POST  other         403   403     404   404  404
assessments:answer_save        POST  theirs        403   403     ok    ok   ok
assessments:answer_save        POST  other         403   403     404   404  404
assessments:my_answers         GET   theirs        403   403     ok    ok   ok
assessments:my_answers         GET   other         403   403     404   404  404
assessments:consensus          GET   theirs        ok    ok      ok    ok   ok
assessments:consensus          GET   other         ok    ok      404   404  404
assessments:consensus_record   POST  theirs        403   403     ok    ok   403
assessments:consensus_record   POST  other         403   403     404   404  404
assessments:submit             POST  theirs        403   403     ok    ok   403
assessments:submit             POST  other         403   403     404   404  404
assessments:results            GET   theirs        ok    ok      ok    ok   ok
assessments:results            GET   other         ok    ok      404   404  404
plans:list                     GET   -             ok    ok      ok    ok   ok
plans:draft                    GET   theirs        ok    403     ok    ok   403
plans:draft                    POST  theirs        ok    403     ok    ok   403
plans:draft                    POST  other         ok    403     404   404  404
plans:detail                   GET   theirs        ok    ok      ok    ok   ok
plans:detail                   GET   other         ok    ok      404   404  404
plans:history                  GET   theirs        ok    ok      ok    ok   ok
plans:history                  GET   other         ok    ok      404   404  404
plans:edit                     GET   theirs        ok    403     ok    ok   403
plans:edit                     POST  theirs        ok    403     ok    ok   403
plans:edit                     POST  other         ok    403     404   404  404
plans:accept                   GET   theirs        ok    403     ok    ok   403
plans:accept                   POST  theirs        ok    403     ok    ok   403
plans:accept                   POST  other         ok    403     404   404  404
plans:complete                 GET   theirs        ok    403     ok    ok   403
plans:complete                 POST  theirs        ok    403     ok    ok   403
plans:complete                 POST  other         ok    403     404   404  404
plans:discard                  POST  theirs        ok    403     ok    ok   403
plans:discard                  POST  other         ok    403     404   404  404
plans:goal_add                 GET   theirs        ok    403     ok    ok   403
plans:goal_add                 POST  theirs        ok    403     ok    ok   403
plans:goal_add                 POST  other         ok    403     404   404  404
plans:goal_edit                GET   theirs        ok    403     ok    ok   403
plans:goal_edit                POST  theirs        ok    403     ok    ok   403
plans:goal_edit                POST  other         ok    403     404   404  404
plans:goal_swap                POST  theirs        ok    403     ok    ok   403
plans:goal_swap                POST  other         ok    403     404   404  404
plans:goal_remove              POST  theirs        ok    403     ok    ok   403
plans:goal_remove              POST  other         ok    403     404   404  404
plans:action_add               GET   theirs        ok    403     ok    ok   403
plans:action_add               POST  theirs        ok    403     ok    ok   403
plans:action_add               POST  other         ok    403     404   404  404
plans:action_edit              GET   theirs        ok    403     ok    ok   403
plans:action_edit              POST  theirs        ok    403     ok    ok   403
plans:action_edit              POST  other         ok    403     404   404  404
plans:action_remove            POST  theirs        ok    403     ok    ok   403
plans:action_remove            POST  other         ok    403     404   404  404
visits:list                    GET   -             ok    ok      ok    ok   ok
visits:log                     GET   -             403   403     ok    403  403
visits:log                     POST  -             403   403     ok    403  403
visits:plan                    GET   -             403   403     ok    403  403
visits:plan                    POST  -             403   403     ok    403  403
visits:detail                  GET   theirs        ok    ok      ok    ok   ok
visits:detail                  GET   other         ok    ok      404   404  404
visits:history                 GET   theirs        ok    ok      ok    ok   ok
visits:history                 GET   other         ok    ok      404   404  404
visits:edit                    GET   theirs        403   403     ok    403  403
visits:edit                    POST  theirs        403   403     ok    403  403
visits:edit                    POST  someone_elses_visit 403 403   403   403  403
visits:edit                    POST  other         403   403     404   404  404
visits:complete                GET   theirs        403   403     ok    403  403
visits:complete                POST  theirs        403   403     ok    403  403
visits:complete                POST  someone_elses_visit 403 403   403   403  403
visits:complete                POST  other         403   403     404   404  404
visits:cancel                  GET   theirs        403   403     ok    403  403
visits:cancel                  POST  theirs        403   403     ok    403  403
visits:cancel                  POST  someone_elses_visit 403 403   403   403  403
visits:cancel                  POST  other         403   403     404   404  404
caseload:mine                  GET   -             ok    ok      ok    403  403
caseload:overview              GET   -             ok    ok      403   403  403
caseload:rules                 GET   -             ok    ok      ok    403  403
caseload:rules                 POST  -             ok    403     403   403  403
caseload:dose                  GET   -             ok    ok      ok    403  403
caseload:dose_csv              GET   -             ok    ok      ok    403  403
kpis:dashboard                 GET   -             ok    ok      403   403  403
kpis:dashboard_csv             GET   tiles         ok    ok      403   403  403
practice_coaching:timeline     GET   theirs        ok    ok      ok    ok   ok
practice_coaching:timeline     GET   other         ok    ok      404   404  404
practice_coaching:dose         GET   theirs        ok    ok      ok    ok   ok
practice_coaching:dose         GET   other         ok    ok      404   404  404
practice_coaching:dose_csv     GET   theirs        ok    ok      ok    ok   ok
practice_coaching:dose_csv     GET   other         ok    ok      404   404  404
actions:mine                   GET   -             ok    ok      ok    ok   ok
actions:practice               GET   theirs        ok    ok      ok    ok   ok
actions:practice               GET   other         ok    ok      404   404  404
actions:detail                 GET   theirs        ok    ok      ok    ok   ok
actions:detail                 GET   other         ok    ok      404   404  404
actions:status                 GET   theirs        ok    403     ok    ok   ok
actions:status                 POST  theirs        ok    403     ok    ok   ok
actions:status                 POST  other         ok    403     404   404  404
actions:status                 POST  plan_action   ok    403     ok    ok   ok
actions:status                 POST  other_plan_action ok 403    404   404  404
feedback:results               GET   -             ok    ok      ok    403  403
feedback:give                  GET   own_invite    ok    ok      ok    ok   ok
feedback:give                  GET   someone_elses_invite 404 404  404   404  404
feedback:give                  POST  own_invite    ok    ok      ok    ok   ok
feedback:give                  POST  someone_elses_invite 404 404  404   404  404
tokens:list                    GET   -             ok    ok      ok    403  403
tokens:list                    POST  -             ok    ok      ok    403  403
tokens:revoke                  POST  own_token     ok    ok      ok    403  403
tokens:revoke                  POST  someone_elses_token 404 404 404   403  403
program_settings:edit          GET   -             ok    403     403   403  403
program_settings:edit          POST  -             ok    403     403   403  403
plans:pdsa_add                 GET   theirs        ok    403     ok    ok   403
plans:pdsa_add                 POST  theirs        ok    403     ok    ok   403
plans:pdsa_add                 POST  other         ok    403     404   404  404
plans:pdsa_detail              GET   theirs        ok    ok      ok    ok   ok
plans:pdsa_detail              GET   other         ok    ok      404   404  404
plans:pdsa_move                GET   theirs        ok    403     ok    ok   403
plans:pdsa_move                POST  theirs        ok    403     ok    ok   403
plans:pdsa_move                POST  other         ok    403     404   404  404
kpis:practice                  GET   theirs        ok    ok      ok    ok   ok
kpis:practice                  GET   other         ok    ok      404   404  404
tasks:list                     GET   -             ok    403     403   403  403
tasks:retry                    POST  failed_task   ok    403     403   403  403
notifications:list             GET   -             ok    ok      ok    ok   ok
notifications:settings         GET   -             ok    ok      ok    ok   ok
notifications:settings         POST  -             ok    ok      ok    ok   ok
notifications:read_all         POST  own_notification ok ok      ok    ok   ok
notifications:open             GET   own_notification ok ok      ok    ok   ok
notifications:open             GET   someone_elses_notification 404 404 404 404 404
notifications:read             POST  own_notification ok ok      ok    ok   ok
notifications:read             POST  someone_elses_notification 404 404 404 404 404
reports:list                   GET   -             ok    ok      ok    ok   ok
reports:request                GET   program_report ok   ok      403   403  403
reports:request                POST  program_report ok   ok      403   403  403
reports:request                GET   theirs_card   ok    ok      ok    ok   403
reports:request                POST  theirs_card   ok    ok      ok    ok   403
reports:request                POST  other_card    ok    ok      403   403  403
reports:request                GET   own_transcript ok   ok      ok    ok   ok
reports:request                POST  own_transcript ok   ok      ok    ok   ok
reports:request                POST  staff_transcript ok ok      404   ok   ok
reports:detail                 GET   own_report    ok    ok      ok    ok   ok
reports:detail                 GET   someone_elses_report 404 404 404   404  404
reports:download               GET   own_report    ok    ok      ok    ok   404
reports:download               GET   someone_elses_report 404 404 404   404  404
reports:subscription_cancel    POST  own_subscription ok ok      ok    ok   ok
reports:subscription_cancel    POST  someone_elses_subscription 404 404 404 404 404
kpis:enter                     GET   theirs        ok    403     ok    ok   ok
kpis:enter                     GET   other         ok    403     404   404  404
kpis:enter                     POST  theirs        ok    403     ok    ok   ok
kpis:enter                     POST  other         ok    403     404   404  404
kpis:enter_cell                POST  theirs        ok    403     ok    ok   ok
kpis:enter_cell                POST  other         ok    403     404   404  404
kpis:import                    GET   -             ok    403     ok    ok   ok
kpis:import                    POST  -             ok    403     ok    ok   ok
kpis:import_template           GET   -             ok    403     ok    ok   ok
cpd_schemes:list               GET   -             ok    403     403   403  403
cpd_schemes:list               POST  -             ok    403     403   403  403
cpd_schemes:templates          GET   -             ok    403     403   403  403
cpd_schemes:templates          POST  -             ok    403     403   403  403
cpd_schemes:new                GET   -             ok    403     403   403  403
cpd_schemes:new                POST  -             ok    403     403   403  403
cpd_schemes:detail             GET   scheme        ok    403     403   403  403
cpd_schemes:edit               GET   scheme        ok    403     403   403  403
cpd_schemes:edit               POST  scheme        ok    403     403   403  403
cpd_schemes:rules              GET   scheme        ok    403     403   403  403
cpd_schemes:rules              POST  scheme        ok    403     403   403  403
cpd_schemes:applies_to         GET   scheme        ok    403     403   403  403
cpd_schemes:applies_to         POST  scheme        ok    403     403   403  403
cpd_schemes:verifiers          GET   -             ok    403     403   403  403
cpd_schemes:verifiers          POST  -             ok    403     403   403  403
cpd_schemes:verifier_remove    POST  verifier      ok    403     403   403  403
compliance_followup:overview   GET   -             ok    ok      ok    ok   ok
compliance_followup:overview_csv GET -             ok    ok      ok    ok   ok
compliance_followup:due        GET   -             ok    ok      ok    ok   ok
evidence:upload                POST  staff_record  403   403     404   403  ok
evidence:upload                POST  other_record  403   403     404   404  404
evidence:download              GET   staff_file    ok    ok      404   ok   ok
evidence:download              GET   other_file    ok    ok      404   404  404
evidence:remove                POST  staff_file    ok    403     404   403  ok
evidence:remove                POST  other_file    ok    403     404   404  404
"""
# CPD activities and program activities: their rows are in tests/permissions/
# cells_cpd_activities.py, with the targets they name.
PAGES += cells_cpd_activities.PAGES.lstrip()
# CPD progress and the program's completion: tests/permissions/cells_cpd_progress.py.
PAGES += cells_cpd_progress.PAGES.lstrip()
# CPD claims from QI work and the transcript import: tests/permissions/cells_cpd_claims.py.
PAGES += cells_cpd_claims.PAGES.lstrip()
# Practices' checklists: their rows are in tests/permissions/cells_compliance_instances.py.
PAGES += cells_compliance_instances.PAGES.lstrip()
# Checklist templates and their assignments: tests/permissions/cells_compliance_templates.py.
PAGES += cells_compliance_templates.PAGES.lstrip()


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method", "name", "role", "cell"), parse(PAGES))
def test_page_cell(client, world, route, method, name, role, cell):
    user = world.user(role)
    aim = target(world, user, name, route)
    body = aim.body or create_body(world, route)
    url = reverse(route, kwargs={"program": world.program.slug, **aim.kwargs})
    client.force_login(user)
    before = state(world.program)
    response = client.get(url) if method == "GET" else client.post(url, body)
    assert_cell(response, cell, method, before, state(world.program), allowed_codes=(200, 302))


# Old addresses kept for links and bookmarks: each answers everyone in the program with a
# permanent redirect to the page that replaced it, where that page's row applies.
REDIRECTS = {"plans:my_actions": "actions:mine"}


def test_every_program_page_has_a_row():
    pages = {route.name for route in program_routes() if route.kind == "page"}
    covered = {line.split()[0] for line in PAGES.strip().splitlines()} | set(REDIRECTS)
    assert pages - covered == set(), "add these pages to PAGES"
    assert covered - pages == set(), "PAGES names pages that do not exist"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "manager", "coach", "lead", "staff"])
@pytest.mark.parametrize(("old", "new"), REDIRECTS.items())
def test_an_old_address_redirects_for_good_to_its_page(client, world, role, old, new):
    client.force_login(world.user(role))
    kwargs = {"program": world.program.slug}

    response = client.get(reverse(old, kwargs=kwargs))

    assert response.status_code == 301
    assert response["Location"] == reverse(new, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees_other_practice"),
    [("admin", True), ("manager", True), ("coach", False), ("lead", False), ("staff", False)],
)
def test_the_practice_list_shows_exactly_the_practices_in_reach(
    client, world, role, sees_other_practice
):
    client.force_login(world.user(role))
    page = client.get(reverse("practices:list", kwargs={"program": world.program.slug}))
    assert page.status_code == 200
    text = page.content.decode()
    assert world.practice.name in text
    assert (world.other_practice.name in text) is sees_other_practice


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coach", "lead"])
def test_nobody_opens_a_round_for_a_practice_out_of_their_reach(client, world, role):
    with program_scope(world.program):
        lib = cells_assessments.library(world)
    client.force_login(world.user(role))
    before = state(world.program)
    page = client.post(
        reverse("assessments:open", kwargs={"program": world.program.slug}),
        {"practice": world.other_practice.pk, "version": lib.published.pk},
    )
    assert page.status_code in (200, 403, 404)
    assert state(world.program) == before
    assert world.other_practice.name not in page.content.decode()
