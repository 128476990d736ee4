"""The caseload pages, by role: a coach's own caseload (statuses, reasons, order, filter), the
program overview with coach workload, the caseload rules, and the caseload on the home pages.

The builders at the top are shared with the other caseload tests (timeline, dose, API, query
counts)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.caseload.rules import CaseloadStatus
from coaching.caseload.selectors import caseload, coach_workload
from coaching.caseload.tasks import refresh_caseload_standings
from coaching.models import (
    ActionStatus,
    Activity,
    CaseloadRules,
    PlanStatus,
    Severity,
    VisitMode,
    VisitStatus,
)
from psp.tenancy.access import access_for
from psp.tenancy.models import ProgramRole, Sector
from psp.tenancy.scope import program_scope
from tests.factories import (
    CaseloadRulesFactory,
    CoachAssignmentFactory,
    MembershipFactory,
    PlanActionFactory,
    PlanGoalFactory,
    PracticeFactory,
    SupportPlanFactory,
    UserFactory,
    VisitActivityFactory,
    VisitFactory,
)

# Builders ----------------------------------------------------------------------------------------


def today() -> date:
    return timezone.localdate()


def days_ago(days: int) -> date:
    return today() - timedelta(days=days)


def visit(world, practice, *, days: int = 7, coach=None, status=VisitStatus.LOGGED, **extra):
    """A visit `days` ago (negative: ahead), logged by default, by the world's coach."""
    return VisitFactory(
        program=world.program,
        practice=practice,
        coach=coach or world.coach,
        status=status,
        visit_date=days_ago(days),
        **extra,
    )


def visit_with_activities(world, practice, minutes: dict, **extra):
    """A logged visit whose duration is the sum of `minutes` ({activity: minutes})."""
    logged = visit(world, practice, duration_minutes=sum(minutes.values()), **extra)
    for activity, spent in minutes.items():
        VisitActivityFactory(program=world.program, visit=logged, activity=activity, minutes=spent)
    return logged


def active_plan(world, practice, *, accepted_days_ago: int = 10):
    return SupportPlanFactory(
        program=world.program,
        practice=practice,
        assessment=None,
        status=PlanStatus.ACTIVE,
        accepted_at=timezone.now() - timedelta(days=accepted_days_ago),
    )


def action(world, plan, *, due_days_ago=None, status=ActionStatus.OPEN, **extra):
    """An action of `plan`, due `due_days_ago` days ago (negative: ahead; None: in a month)."""
    goal = extra.pop("goal", None) or PlanGoalFactory(program=world.program, plan=plan)
    due = days_ago(due_days_ago) if due_days_ago is not None else days_ago(-30)
    return PlanActionFactory(program=world.program, goal=goal, due_on=due, status=status, **extra)


def coached_practice(world, name: str, *, coach=None, **extra):
    practice = PracticeFactory(program=world.program, name=name, **extra)
    CoachAssignmentFactory(program=world.program, practice=practice, coach=coach or world.coach)
    return practice


def new_coach(world, email: str, name: str):
    coach = UserFactory(email=email, full_name=name)
    MembershipFactory(program=world.program, user=coach, role=ProgramRole.COACH)
    return coach


def three_statuses(world):
    """Three more practices of the world's coach: on track, needs attention and stalled."""
    fine = coached_practice(world, "Alder Street Clinic")
    visit(world, fine, days=3)
    slow = coached_practice(world, "Birch Family Practice")
    visit(world, slow, days=50)
    stuck = coached_practice(world, "Cedar Health")
    visit(world, stuck, days=100)
    return fine, slow, stuck


def url(name, world, **kwargs):
    return reverse(name, kwargs={"program": world.program.slug, **kwargs})


def entries_of(response) -> list:
    return [entry.practice.name for entry in response.context["entries"]]


# A coach's caseload ------------------------------------------------------------------------------


def test_a_coach_sees_their_practices_with_status_and_the_reasons(client, world):
    visit(world, world.practice, days=60)
    visit(world, world.other_practice, days=200, coach=world.other_coach)
    client.force_login(world.coach)

    response = client.get(url("caseload:mine", world))

    html = response.content.decode()
    assert response.status_code == 200
    assert entries_of(response) == [world.practice.name]
    assert "Needs attention" in html
    assert "No visit in 60 days (program rule: needs attention after 45 days)" in html
    assert world.other_practice.name not in html


def test_the_caseload_lists_stalled_first_then_needs_attention_then_on_track(client, world):
    fine, slow, stuck = three_statuses(world)
    visit(world, world.practice, days=1)
    client.force_login(world.coach)

    response = client.get(url("caseload:mine", world))

    assert entries_of(response) == [stuck.name, slow.name, fine.name, world.practice.name]
    assert [e.status for e in response.context["entries"]][:2] == ["stalled", "attention"]
    counts = response.context["caseload"].counts
    assert counts == {"stalled": 1, "attention": 1, "on_track": 2}


def test_a_coach_filters_their_caseload_by_status(client, world):
    fine, slow, stuck = three_statuses(world)
    client.force_login(world.coach)

    response = client.get(url("caseload:mine", world), {"status": "attention"})

    assert entries_of(response) == [slow.name]
    assert "1 practice matches the filters" in response.content.decode()


def test_an_htmx_filter_gets_only_the_results(client, world):
    three_statuses(world)
    client.force_login(world.coach)

    response = client.get(
        url("caseload:mine", world), {"status": "stalled"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert 'id="caseload-results"' in html
    assert "<form" not in html
    assert "Cedar Health" in html and "Alder Street Clinic" not in html


def test_each_row_shows_last_and_next_visit_actions_and_plan_progress(client, world):
    visit(world, world.practice, days=12)
    visit(world, world.practice, days=-5, status=VisitStatus.PLANNED, mode=VisitMode.PHONE)
    plan = active_plan(world, world.practice)
    goal = PlanGoalFactory(program=world.program, plan=plan)
    action(world, plan, goal=goal, due_days_ago=20)
    action(world, plan, goal=goal, status=ActionStatus.DONE)
    action(world, plan, goal=goal, status=ActionStatus.DROPPED)
    client.force_login(world.coach)

    response = client.get(url("caseload:mine", world))

    entry = response.context["entries"][0]
    html = response.content.decode()
    assert entry.last_visit_on == days_ago(12)
    assert entry.next_visit.visit_date == days_ago(-5)
    assert (entry.open_actions, entry.overdue_actions) == (1, 1)
    assert (entry.progress.actions_done, entry.progress.actions_total) == (1, 2)
    assert "1 of 2 done" in html
    assert "1 overdue" in html
    assert "Phone" in html
    assert "1 action overdue, due" in html
    timeline = url("practice_coaching:timeline", world, practice_pk=world.practice.pk)
    assert timeline in html
    assert world.practice.get_absolute_url() in html


def test_a_draft_plans_actions_do_not_count_as_overdue(client, world):
    draft = SupportPlanFactory(program=world.program, practice=world.practice, assessment=None)
    action(world, draft, due_days_ago=20)
    client.force_login(world.coach)

    entry = client.get(url("caseload:mine", world)).context["entries"][0]

    assert (entry.open_actions, entry.overdue_actions) == (0, 0)
    assert entry.status == CaseloadStatus.ON_TRACK


def test_admins_and_managers_are_sent_to_the_overview(client, world):
    for who in ("admin", "manager"):
        client.force_login(world.user(who))
        response = client.get(url("caseload:mine", world))
        assert response.status_code == 302
        assert response["Location"] == url("caseload:overview", world)


@pytest.mark.parametrize("who", ["lead", "staff"])
@pytest.mark.parametrize(
    "name", ["caseload:mine", "caseload:overview", "caseload:rules", "caseload:dose"]
)
def test_practice_people_have_no_caseload_pages(client, world, who, name):
    client.force_login(world.user(who))
    assert client.get(url(name, world)).status_code == 403


def test_a_coach_cannot_open_the_program_overview(client, world):
    client.force_login(world.coach)
    assert client.get(url("caseload:overview", world)).status_code == 403


def test_someone_outside_the_program_gets_404(client, world, outsider, other_world):
    for person in (outsider, other_world.admin):
        client.force_login(person)
        assert client.get(url("caseload:overview", world)).status_code == 404


# The overview ------------------------------------------------------------------------------------


def test_a_manager_sees_every_practice_with_its_coach_and_the_counts(client, world):
    visit(world, world.other_practice, days=95, coach=world.other_coach)
    client.force_login(world.manager)

    response = client.get(url("caseload:overview", world))

    html = response.content.decode()
    assert entries_of(response) == [world.other_practice.name, world.practice.name]
    assert str(world.other_coach) in html and str(world.coach) in html
    assert response.context["caseload"].counts == {"stalled": 1, "attention": 0, "on_track": 1}
    assert "No visit in 95 days (program rule: stalled after 90 days)" in html


def test_the_overview_filters_by_coach_status_stage_and_sector(client, world):
    law = coached_practice(world, "Dunn & Co Solicitors", sector=Sector.LAW, stage="pilot")
    visit(world, law, days=100)
    client.force_login(world.admin)
    path = url("caseload:overview", world)

    by_coach = client.get(path, {"coach": world.other_coach.pk})
    by_status = client.get(path, {"status": "stalled"})
    by_stage = client.get(path, {"stage": "pilot"})
    by_sector = client.get(path, {"sector": Sector.LAW})
    unknown_coach = client.get(path, {"coach": 99999})

    assert entries_of(by_coach) == [world.other_practice.name]
    assert entries_of(by_status) == [law.name]
    assert entries_of(by_stage) == [law.name]
    assert entries_of(by_sector) == [law.name]
    # An unknown coach is refused as the API refuses it: shown, and nothing listed.
    assert entries_of(unknown_coach) == []
    assert "No coach with id 99999 in this program." in unknown_coach.content.decode()
    assert by_status.context["caseload"].counts["stalled"] == 1


def test_the_overview_pages_a_long_caseload(client, world):
    for i in range(55):
        coached_practice(world, f"Practice {i:02}")
    # More new practices than a page computes itself: the background catch-up does them.
    refresh_caseload_standings.apply(kwargs={"program_id": world.program.pk})
    client.force_login(world.manager)

    first = client.get(url("caseload:overview", world))
    last = client.get(url("caseload:overview", world), {"page": 2})

    assert len(first.context["entries"]) == 50
    assert len(last.context["entries"]) == 7
    assert "Page 1 of 2" in first.content.decode()


def test_the_overview_shows_each_coachs_workload_this_month_and_quarter(client, world):
    visit(world, world.practice, days=0, duration_minutes=90, travel_minutes=30)
    visit(world, world.practice, days=0, duration_minutes=60, travel_minutes=0)
    visit(world, world.other_practice, days=0, coach=world.other_coach, duration_minutes=45)
    visit(world, world.practice, days=0, status=VisitStatus.PLANNED, duration_minutes=500)
    idle = new_coach(world, "idle@example.org", "Ida Idle")
    client.force_login(world.manager)

    response = client.get(url("caseload:overview", world))

    rows = {row.coach: row for row in response.context["workload"]}
    mine = rows[world.coach]
    assert (mine.practices, mine.month.visits, mine.month.minutes, mine.month.travel) == (
        1,
        2,
        150,
        30,
    )
    assert (mine.quarter.visits, mine.quarter.minutes) == (2, 150)
    assert rows[world.other_coach].month.minutes == 45
    assert (rows[idle].practices, rows[idle].month.visits) == (0, 0)
    html = response.content.decode()
    assert "2 h 30 min" in html and "30 min" in html


def test_the_workload_counts_only_this_month_and_this_quarter(world, in_program):
    day = date(2025, 11, 20)  # quarter from 1 Oct, month from 1 Nov

    def logged(on, minutes, travel):
        VisitFactory(
            program=world.program,
            practice=world.practice,
            coach=world.coach,
            visit_date=on,
            duration_minutes=minutes,
            travel_minutes=travel,
        )

    logged(date(2025, 11, 5), 60, 20)  # this month and quarter
    logged(date(2025, 10, 10), 90, 30)  # this quarter only
    logged(date(2025, 9, 30), 45, 15)  # neither
    # No "after `day`" visit: a logged visit cannot be in the future, and the manager's
    # workload sums whole months of the coaches' dose rollup.
    access = access_for(program=world.program, user=world.manager)

    row = next(r for r in coach_workload(access=access, today=day) if r.coach == world.coach)

    assert (row.month.visits, row.month.minutes, row.month.travel) == (1, 60, 20)
    assert (row.quarter.visits, row.quarter.minutes, row.quarter.travel) == (2, 150, 50)
    assert row.quarter.hours == 2.5


# Statuses from the facts -------------------------------------------------------------------------


def statuses(world, user=None) -> dict:
    with program_scope(world.program):
        access = access_for(program=world.program, user=user or world.admin)
        return {e.practice.name: e for e in caseload(access=access).entries}


def test_a_practice_never_visited_counts_from_its_coach_assignment(world):
    late = PracticeFactory(program=world.program, name="Late Start Clinic")
    late.enrolled_on = days_ago(300)
    with program_scope(world.program):
        late.save()
    CoachAssignmentFactory(
        program=world.program,
        practice=late,
        coach=world.coach,
        assigned_at=timezone.now() - timedelta(days=50),
    )

    entry = statuses(world)["Late Start Clinic"]

    assert entry.days_without_visit == 50
    assert entry.status == CaseloadStatus.ATTENTION
    assert entry.verdict.reasons == [
        "Never visited: 50 days since the coach took it on "
        "(program rule: needs attention after 45 days)"
    ]


def test_planned_and_cancelled_visits_do_not_count_as_visits(world):
    visit(world, world.practice, days=100)
    visit(world, world.practice, days=2, status=VisitStatus.CANCELLED)
    visit(world, world.practice, days=-3, status=VisitStatus.PLANNED)

    entry = statuses(world)[world.practice.name]

    assert entry.last_visit_on == days_ago(100)
    assert entry.status == CaseloadStatus.STALLED
    assert entry.next_visit.visit_date == days_ago(-3)


def test_the_next_planned_visit_is_the_soonest_one_still_ahead(world):
    visit(world, world.practice, days=-20, status=VisitStatus.PLANNED)
    soonest = visit(world, world.practice, days=-4, status=VisitStatus.PLANNED)
    visit(world, world.practice, days=3, status=VisitStatus.PLANNED)  # missed: in the past

    assert statuses(world)[world.practice.name].next_visit == soonest


def test_a_plan_with_no_recent_progress_is_flagged_and_a_done_action_clears_it(world):
    visit(world, world.practice, days=1)
    plan = active_plan(world, world.practice, accepted_days_ago=90)
    action(world, plan)

    stale = statuses(world)[world.practice.name]
    action(
        world,
        plan,
        status=ActionStatus.DONE,
        completed_at=timezone.now() - timedelta(days=5),
    )
    fresh = statuses(world)[world.practice.name]

    assert stale.status == CaseloadStatus.ATTENTION
    assert stale.verdict.reasons[0].startswith("No progress on the support plan in 90 days")
    assert fresh.status == CaseloadStatus.ON_TRACK
    assert fresh.last_progress_on == days_ago(5)


def test_a_plan_whose_actions_are_all_done_asks_for_the_next_plan_not_progress(world):
    visit(world, world.practice, days=1)
    plan = active_plan(world, world.practice, accepted_days_ago=200)
    for days in (120, 108):
        action(
            world,
            plan,
            status=ActionStatus.DONE,
            completed_at=timezone.now() - timedelta(days=days),
        )

    entry = statuses(world)[world.practice.name]

    assert (entry.progress.actions_done, entry.progress.actions_total) == (2, 2)
    assert entry.status == CaseloadStatus.ATTENTION
    assert entry.verdict.reasons[0].startswith("Support plan complete since")
    assert "no next plan in 108 days" in entry.verdict.reasons[0]


def test_an_overdue_follow_up_assessment_flags_the_practice(world):
    from tests.factories import AssessmentFactory, InstrumentFactory, InstrumentVersionFactory

    instrument = InstrumentFactory(program=world.program, name="Readiness", cadence_months=6)
    version = InstrumentVersionFactory(program=world.program, instrument=instrument)
    AssessmentFactory(
        program=world.program,
        practice=world.practice,
        version=version,
        status="submitted",
        submitted_at=timezone.now() - timedelta(days=250),
    )
    visit(world, world.practice, days=1)

    entry = statuses(world)[world.practice.name]

    assert entry.status == CaseloadStatus.ATTENTION
    assert entry.verdict.reasons[0].startswith("Follow-up assessment (Readiness) overdue by")


def test_the_programs_own_rules_replace_the_defaults(world):
    visit(world, world.practice, days=50)
    CaseloadRulesFactory(
        program=world.program,
        attention_days_without_visit=20,
        stalled_days_without_visit=40,
        assessment_overdue=Severity.OFF,
    )

    entry = statuses(world)[world.practice.name]

    assert entry.status == CaseloadStatus.STALLED
    assert entry.verdict.reasons == ["No visit in 50 days (program rule: stalled after 40 days)"]


# The rules page ----------------------------------------------------------------------------------


def rules_of(world) -> CaseloadRules | None:
    with program_scope(world.program):
        return CaseloadRules.objects.first()


RULES_FORM = {
    "attention_days_without_visit": 30,
    "stalled_days_without_visit": 60,
    "attention_overdue_actions": 2,
    "stalled_overdue_actions": 6,
    "days_without_plan_progress": 45,
    "no_plan_progress": Severity.STALLED,
    "assessment_overdue": Severity.OFF,
}


def test_an_admin_changes_the_rules_and_statuses_follow(client, world):
    visit(world, world.practice, days=35)
    client.force_login(world.admin)

    response = client.post(url("caseload:rules", world), RULES_FORM)

    saved = rules_of(world)
    assert response.status_code == 302
    assert (saved.attention_days_without_visit, saved.stalled_days_without_visit) == (30, 60)
    assert saved.no_plan_progress == Severity.STALLED
    assert saved.updated_by == world.admin
    assert statuses(world)[world.practice.name].status == CaseloadStatus.ATTENTION


def test_rules_that_contradict_each_other_are_refused_next_to_the_field(client, world):
    client.force_login(world.admin)
    bad = RULES_FORM | {"stalled_days_without_visit": 30, "stalled_overdue_actions": 1}

    response = client.post(url("caseload:rules", world), bad)

    form = response.context["form"]
    assert response.status_code == 200
    assert "Must be more than the 30 days" in form.errors["stalled_days_without_visit"][0]
    assert "Must be more than the 2 overdue actions" in form.errors["stalled_overdue_actions"][0]
    assert rules_of(world) is None


def test_0_switches_a_check_off_and_is_accepted(client, world):
    client.force_login(world.admin)

    client.post(url("caseload:rules", world), RULES_FORM | {"attention_days_without_visit": 0})

    assert rules_of(world).attention_days_without_visit == 0


@pytest.mark.parametrize("who", ["manager", "coach"])
def test_managers_and_coaches_read_the_rules_but_cannot_change_them(client, world, who):
    client.force_login(world.user(who))

    page = client.get(url("caseload:rules", world))
    post = client.post(url("caseload:rules", world), RULES_FORM)

    html = page.content.decode()
    assert page.status_code == 200
    assert "Needs attention after 45 days" in html
    assert "stalled after 90 days" in html
    assert "Save the rules" not in html
    assert post.status_code == 403
    assert rules_of(world) is None


def test_the_rules_page_shows_an_admin_the_form_with_the_current_values(client, world):
    CaseloadRulesFactory(program=world.program, attention_days_without_visit=21)
    client.force_login(world.admin)

    response = client.get(url("caseload:rules", world))

    assert response.context["form"].initial["attention_days_without_visit"] == 21
    assert 'name="attention_days_without_visit"' in response.content.decode()


# Home pages --------------------------------------------------------------------------------------


def test_a_coachs_home_shows_their_caseload_with_reasons(client, world):
    visit(world, world.practice, days=100)
    client.force_login(world.coach)

    html = client.get(url("program_home", world)).content.decode()

    assert "My caseload" in html
    assert "Stalled" in html
    assert "No visit in 100 days (program rule: stalled after 90 days)" in html
    assert world.other_practice.name not in html


@pytest.mark.parametrize("who", ["admin", "manager"])
def test_the_overview_home_lists_practices_needing_attention(client, world, who):
    visit(world, world.other_practice, days=70, coach=world.other_coach)
    visit(world, world.practice, days=2)
    client.force_login(world.user(who))

    html = client.get(url("program_home", world)).content.decode()

    assert "Practices needing attention" in html
    assert "No visit in 70 days (program rule: needs attention after 45 days)" in html
    assert url("caseload:overview", world) in html


def test_the_overview_home_says_when_every_practice_is_on_track(client, world):
    visit(world, world.practice, days=2)
    visit(world, world.other_practice, days=2, coach=world.other_coach)
    client.force_login(world.admin)

    html = client.get(url("program_home", world)).content.decode()

    assert "Every practice is on track." in html


def test_activity_minutes_builder_adds_up(world):
    logged = visit_with_activities(world, world.practice, {Activity.WORKFLOW: 30, Activity.CPD: 15})
    assert logged.duration_minutes == 45


def test_the_rules_service_refuses_what_is_not_a_rule_or_out_of_range(world, in_program):
    from django.core.exceptions import ValidationError

    from coaching.caseload.services import caseload_rules_update

    with pytest.raises(ValidationError) as unknown:
        caseload_rules_update(program=world.program, by=world.admin, data={"program": 2})
    with pytest.raises(ValidationError) as too_long:
        caseload_rules_update(
            program=world.program, by=world.admin, data={"stalled_days_without_visit": 9999}
        )
    with pytest.raises(ValidationError) as negative:
        caseload_rules_update(
            program=world.program, by=world.admin, data={"attention_overdue_actions": -1}
        )
    with pytest.raises(ValidationError) as severity:
        caseload_rules_update(
            program=world.program, by=world.admin, data={"assessment_overdue": "panic"}
        )

    assert unknown.value.message_dict == {"program": ["This is not a caseload rule."]}
    assert too_long.value.message_dict == {"stalled_days_without_visit": ["Enter at most 3650."]}
    assert "attention_overdue_actions" in negative.value.message_dict
    assert "assessment_overdue" in severity.value.message_dict
    assert CaseloadRules.objects.count() == 0


def test_a_partial_rules_update_keeps_the_other_rules(world, in_program):
    from coaching.caseload.services import caseload_rules_update

    caseload_rules_update(
        program=world.program, by=world.admin, data={"attention_days_without_visit": 30}
    )
    rules = caseload_rules_update(
        program=world.program, by=world.manager, data={"stalled_overdue_actions": 8}
    )

    assert (rules.attention_days_without_visit, rules.stalled_overdue_actions) == (30, 8)
    assert rules.stalled_days_without_visit == 90
    assert rules.updated_by == world.manager
    assert CaseloadRules.objects.count() == 1
