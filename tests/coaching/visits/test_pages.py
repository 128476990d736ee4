"""The visit pages, by role: logging (with its errors beside the fields, double submits and the
practice's fields reloading), a visit's page, editing with history, scheduling, completing and
cancelling, the list, the practice page's panel and the coach's upcoming visits."""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import PlanAction, PlanStatus, Visit, VisitStatus
from coaching.visits import services
from psp.history.models import ChangeRecord, SubjectType
from psp.tenancy.scope import program_scope
from tests.coaching.visits.helpers import with_input
from tests.factories import (
    FeedbackResponseFactory,
    PlanGoalFactory,
    SupportPlanFactory,
    VisitFactory,
)

TODAY = timezone.localdate


def url(name, world, **kwargs):
    return reverse(f"visits:{name}", kwargs={"program": world.program.slug, **kwargs})


def in_scope(world, fn):
    with program_scope(world.program):
        return fn()


def person(world, other_world, outsider, who):
    return {"outsider": outsider, "other_program_admin": other_world.admin}.get(who) or (
        world.user(who)
    )


def logged(world, **extra):
    """A visit world.coach logged to world.practice, through the service."""
    arguments = {
        "program": world.program,
        "by": world.coach,
        "practice": world.practice,
        "visit_date": TODAY(),
        "duration_minutes": 60,
        "activities": {"workflow": 60},
    }
    arguments.update(extra)
    return in_scope(world, lambda: services.visit_log(**with_input(arguments)))


def planned(world, days=3, coach=None, practice=None):
    return in_scope(
        world,
        lambda: services.visit_plan(
            program=world.program,
            by=coach or world.coach,
            practice=practice or world.practice,
            visit_date=TODAY() + timedelta(days=days),
            purpose="Quarterly review",
        ),
    )


def form_data(world, **overrides) -> dict:
    """What the log form sends for a one-hour visit to world.practice."""
    data = {
        "practice": world.practice.pk,
        "visit_date": TODAY().isoformat(),
        "start_time": "09:30",
        "mode": "on_site",
        "duration_minutes": "60",
        "minutes_workflow": "40",
        "minutes_data_review": "20",
        "travel_minutes": "15",
        "other_attendees": "1",
        "attendees": [world.lead.pk],
        "purpose": "Huddle routine",
        "notes": "Walked through the huddle board.",
        "submission_key": str(uuid.uuid4()),
        "actions-TOTAL_FORMS": "3",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "20",
        "actions-0-title": "Print the huddle board",
        "actions-0-owner": world.lead.pk,
        "actions-0-due_on": (TODAY() + timedelta(days=7)).isoformat(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def visits(world):
    return in_scope(world, lambda: list(Visit.objects.order_by("pk")))


def field_errors(html: str, field_id: str) -> str:
    """The form field block around `field_id`: its errors sit inside it, beside the input."""
    match = re.search(
        r'<div class="form-field form-field--invalid">((?:(?!<div class="form-field).)*?)id="'
        + field_id
        + '"',
        html,
        re.S,
    )
    return match.group(1) if match else ""


# Who may open which page --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coach", 200),
        ("admin", 403),
        ("manager", 403),
        ("lead", 403),
        ("staff", 403),
        ("outsider", 404),
        ("other_program_admin", 404),
    ],
)
@pytest.mark.parametrize("name", ["log", "plan"])
def test_only_coaches_log_and_schedule_visits(
    client, world, other_world, outsider, who, status, name
):
    client.force_login(person(world, other_world, outsider, who))

    assert client.get(url(name, world)).status_code == status


@pytest.mark.parametrize(
    ("who", "theirs", "other"),
    [
        ("admin", 200, 200),
        ("manager", 200, 200),
        ("coach", 200, 404),
        ("other_coach", 404, 200),
        ("lead", 200, 404),
        ("staff", 200, 404),
    ],
)
@pytest.mark.parametrize("name", ["detail", "history"])
def test_a_visit_is_seen_by_those_who_see_its_practice(client, world, who, theirs, other, name):
    mine = logged(world)
    elsewhere = VisitFactory(
        program=world.program, practice=world.other_practice, coach=world.other_coach
    )
    client.force_login(world.user(who))

    assert client.get(url(name, world, pk=mine.pk)).status_code == theirs
    assert client.get(url(name, world, pk=elsewhere.pk)).status_code == other


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coach", 200),
        ("admin", 403),
        ("manager", 403),
        ("lead", 403),
        ("staff", 403),
        ("other_coach", 404),
    ],
)
@pytest.mark.parametrize("name", ["edit", "complete", "cancel"])
def test_only_the_visits_own_coach_changes_it(client, world, who, status, name):
    visit = planned(world)
    client.force_login(world.user(who))

    assert client.get(url(name, world, pk=visit.pk)).status_code == status
    if status != 200:
        assert client.post(url(name, world, pk=visit.pk), {"reason": "x"}).status_code == status
        assert in_scope(world, lambda: Visit.objects.get(pk=visit.pk).status) == "planned"


def test_another_coachs_visit_to_my_practice_is_shown_but_not_mine_to_change(client, world):
    theirs = VisitFactory(program=world.program, practice=world.practice, coach=world.other_coach)
    client.force_login(world.coach)

    page = client.get(url("detail", world, pk=theirs.pk)).content.decode()

    assert client.get(url("edit", world, pk=theirs.pk)).status_code == 403
    assert url("edit", world, pk=theirs.pk) not in page


# Logging ------------------------------------------------------------------------------------


def test_the_log_form_offers_the_caseload_and_defaults_to_today_and_the_last_mode(client, world):
    logged(world, mode="phone")
    client.force_login(world.coach)

    response = client.get(url("log", world))

    html = response.content.decode()
    form = response.context["form"]
    assert [p.pk for p in form.fields["practice"].objects.values()] == [world.practice.pk]
    assert world.other_practice.name not in html
    assert form["visit_date"].value() == TODAY()
    assert form["mode"].value() == "phone"
    assert 'name="submission_key"' in html
    assert 'data-draft-key="psp:visit-draft:' in html
    assert "Assessment and planning" in html and "Data and measurement review" in html
    assert "js/visit-form.js" in html


def test_choosing_the_practice_lists_its_people_goals_and_owners(client, world):
    plan = SupportPlanFactory(
        program=world.program, practice=world.practice, status=PlanStatus.ACTIVE
    )
    goal = PlanGoalFactory(program=world.program, plan=plan, title="Daily huddles")
    client.force_login(world.coach)

    page = client.get(url("log", world), {"practice": world.practice.pk}).content.decode()
    fragment = client.get(
        url("log", world),
        {"practice": world.practice.pk, "actions-TOTAL_FORMS": "4", "actions-3-title": "Kept"},
        headers={"HX-Request": "true", "HX-Target": "visit-practice-fields"},
    ).content.decode()

    for html in (page, fragment):
        assert world.lead.full_name in html and world.staff.full_name in html
        assert "Daily huddles" in html
    assert "<html" not in fragment
    assert 'value="Kept"' in fragment  # typed action rows survive the reload
    assert goal.plan.practice == world.practice


def test_a_coach_logs_a_visit_and_lands_on_it(client, world):
    client.force_login(world.coach)
    data = form_data(world)

    response = client.post(url("log", world), data)

    [visit] = visits(world)
    assert response.status_code == 302
    assert response["Location"] == visit.get_absolute_url()
    assert (visit.coach, visit.duration_minutes, visit.travel_minutes) == (world.coach, 60, 15)
    assert str(visit.submission_key) == data["submission_key"]
    action = in_scope(world, lambda: PlanAction.objects.get(visit=visit))
    assert (action.title, action.owner) == ("Print the huddle board", world.lead)
    page = client.get(response["Location"]).content.decode()
    assert "The visit is logged." in page
    # The page after the save tells the browser to drop the form's draft.
    assert f'data-clear-draft="psp:visit-draft:{world.coach.pk}:{world.program.slug}:log"' in page
    assert f'data-clear-submission="{data["submission_key"]}"' in page
    assert "data-clear-draft" not in client.get(response["Location"]).content.decode()


def test_sending_the_log_form_twice_logs_one_visit(client, world):
    client.force_login(world.coach)
    data = form_data(world)

    first = client.post(url("log", world), data)
    second = client.post(url("log", world), data, follow=True)

    [visit] = visits(world)
    assert first["Location"] == second.redirect_chain[0][0] == visit.get_absolute_url()
    assert "This visit was already logged" in second.content.decode()


def test_minutes_that_do_not_add_up_are_shown_beside_the_activities(client, world):
    client.force_login(world.coach)

    response = client.post(url("log", world), form_data(world, minutes_data_review="10"))

    html = response.content.decode()
    message = "The activities add up to 50 minutes, 10 fewer than the 60-minute duration."
    assert response.status_code == 200
    assert visits(world) == []
    activities = html[html.index('id="visit-activities"') : html.index("visit-activity-list")]
    assert message in activities
    assert 'href="#visit-activities"' in html  # and listed in the summary, linking there
    assert 'data-draft-restore="off"' in html  # the typed values stand; the draft is kept


def test_a_future_date_is_shown_beside_the_date(client, world):
    client.force_login(world.coach)
    tomorrow = (TODAY() + timedelta(days=1)).isoformat()

    response = client.post(url("log", world), form_data(world, visit_date=tomorrow))

    html = response.content.decode()
    assert "A visit in the future is a planned visit: schedule it instead." in field_errors(
        html, "id_visit_date"
    )
    assert visits(world) == []


def test_a_practice_outside_the_caseload_is_a_field_error(client, world):
    client.force_login(world.coach)

    response = client.post(url("log", world), form_data(world, practice=world.other_practice.pk))

    assert response.status_code == 200
    assert response.context["form"].errors["practice"]
    assert visits(world) == []


def test_logging_schedules_the_next_visit(client, world):
    client.force_login(world.coach)
    next_day = TODAY() + timedelta(days=21)

    response = client.post(
        url("log", world),
        form_data(world, next_visit_date=next_day.isoformat(), next_purpose="Data review"),
    )

    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "The next visit is planned for" in follow
    statuses = sorted(v.status for v in visits(world))
    assert statuses == [VisitStatus.LOGGED, VisitStatus.PLANNED]


def test_the_action_items_wait_folded_after_purpose_and_notes(client, world):
    client.force_login(world.coach)

    response = client.get(url("log", world), {"practice": world.practice.pk})

    html = response.content.decode()
    formset = response.context["formset"]
    assert (len(formset.open_forms), len(formset.spare_forms)) == (0, 3)
    # Folded in a <details> that opens without JavaScript; after what every visit has.
    assert html.index("data-action-spare") < html.index('name="actions-0-title"')
    assert html.index("Add an action</summary>") < html.index('name="actions-0-title"')
    assert html.index('id="id_attendees_group"') < html.index('id="id_purpose"')
    assert html.index('id="id_notes"') < html.index('id="visit-new-actions"')
    assert html.index('id="visit-new-actions"') < html.index('id="id_next_visit_date"')


def test_typed_action_rows_come_back_open_and_the_empty_ones_folded(client, world):
    client.force_login(world.coach)

    response = client.post(
        url("log", world), form_data(world, **{"actions-1-owner": world.staff.pk})
    )

    formset = response.context["formset"]
    html = response.content.decode()
    assert (len(formset.open_forms), len(formset.spare_forms)) == (2, 1)
    assert html.index('name="actions-1-title"') < html.index("data-action-spare")
    assert html.index("data-action-spare") < html.index('name="actions-2-title"')
    assert "Add another action</summary>" in html


def test_an_action_row_without_a_title_is_an_error_beside_it(client, world):
    client.force_login(world.coach)

    response = client.post(
        url("log", world), form_data(world, **{"actions-1-owner": world.staff.pk})
    )

    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["title"]
    assert visits(world) == []


# One visit ----------------------------------------------------------------------------------


def test_the_visit_page_shows_what_was_logged_but_no_feedback(client, world):
    plan = SupportPlanFactory(
        program=world.program, practice=world.practice, status=PlanStatus.ACTIVE
    )
    goal = PlanGoalFactory(program=world.program, plan=plan, title="Daily huddles")
    visit = logged(
        world,
        duration_minutes=90,
        activities={"workflow": 60, "cpd": 30},
        attendees=[world.lead],
        goals=[goal],
        notes="Walked through the board.",
        new_actions=[{"title": "Print the board", "owner": world.staff}],
    )
    FeedbackResponseFactory(program=world.program, visit=visit, comment="Secret praise")
    client.force_login(world.manager)

    html = client.get(visit.get_absolute_url()).content.decode()

    for text in (
        "Workflow and systems optimization",
        "CPD and education",
        'data-pct="65"',
        world.lead.full_name,
        "Daily huddles",
        plan.get_absolute_url(),
        "Print the board",
        "Walked through the board.",
        "1 h 30 min",
    ):
        assert text in html, text
    assert "Secret praise" not in html
    assert url("edit", world, pk=visit.pk) not in html


def test_the_own_coach_sees_complete_and_cancel_on_a_planned_visit(client, world):
    visit = planned(world)
    client.force_login(world.coach)

    html = client.get(visit.get_absolute_url()).content.decode()

    for name in ("edit", "complete", "cancel"):
        assert url(name, world, pk=visit.pk) in html


# Editing and history ------------------------------------------------------------------------


def visit_lines():
    return ChangeRecord.objects.filter(subject_type=SubjectType.VISIT)


def edit_data(visit_date, **overrides) -> dict:
    data = {
        "visit_date": visit_date.isoformat(),
        "mode": "on_site",
        "duration_minutes": "60",
        "minutes_workflow": "60",
        "travel_minutes": "0",
        "other_attendees": "0",
        "notes": "Better notes",
    }
    data.update(overrides)
    return data


def test_an_edit_on_the_day_overwrites_and_asks_no_reason(client, world):
    visit = logged(world, notes="First notes")
    client.force_login(world.coach)

    page = client.get(url("edit", world, pk=visit.pk)).content.decode()
    response = client.post(url("edit", world, pk=visit.pk), edit_data(TODAY()))

    assert "What changed and why" not in page
    assert response.status_code == 302
    assert in_scope(world, lambda: Visit.objects.get(pk=visit.pk).notes) == "Better notes"
    assert not in_scope(world, lambda: visit_lines().exists())


def test_an_edit_after_the_day_is_shown_in_the_history(client, world):
    day = TODAY() - timedelta(days=3)
    visit = logged(world, visit_date=day, notes="First notes")
    client.force_login(world.coach)

    page = client.get(url("edit", world, pk=visit.pk)).content.decode()
    response = client.post(
        url("edit", world, pk=visit.pk), edit_data(day, reason="Typo in the notes")
    )

    assert "What changed and why" in page
    assert response.status_code == 302
    client.force_login(world.staff)  # anyone who sees the visit reads its history
    history = client.get(url("history", world, pk=visit.pk)).content.decode()
    assert "Typo in the notes" in history
    assert world.coach.full_name in history
    assert "Notes: First notes → Better notes" in history
    detail = client.get(visit.get_absolute_url()).content.decode()
    assert "History (1 edit after the day)" in detail


def test_an_edit_with_minutes_that_do_not_add_up_changes_nothing(client, world):
    visit = logged(world, visit_date=TODAY() - timedelta(days=3))
    client.force_login(world.coach)

    response = client.post(
        url("edit", world, pk=visit.pk), edit_data(visit.visit_date, duration_minutes="75")
    )

    assert response.status_code == 200
    assert "15 fewer than the 75-minute duration" in response.content.decode()
    assert in_scope(world, lambda: Visit.objects.get(pk=visit.pk).duration_minutes) == 60
    assert not in_scope(world, lambda: visit_lines().exists())


def test_a_planned_visit_is_edited_with_the_plan_form(client, world):
    visit = planned(world, days=4)
    client.force_login(world.coach)
    new_day = TODAY() + timedelta(days=5)

    response = client.post(
        url("edit", world, pk=visit.pk),
        {"visit_date": new_day.isoformat(), "mode": "virtual", "duration_minutes": "45"},
    )

    assert response.status_code == 302
    moved = in_scope(world, lambda: Visit.objects.get(pk=visit.pk))
    assert (moved.visit_date, moved.mode, moved.duration_minutes) == (new_day, "virtual", 45)


# Scheduling, completing, cancelling ---------------------------------------------------------


def test_a_coach_schedules_a_visit(client, world):
    client.force_login(world.coach)
    day = TODAY() + timedelta(days=10)

    page = client.get(url("plan", world), {"practice": world.practice.pk})
    response = client.post(
        url("plan", world),
        {
            "practice": world.practice.pk,
            "visit_date": day.isoformat(),
            "mode": "on_site",
            "duration_minutes": "90",
            "purpose": "Quarterly review",
            "submission_key": str(uuid.uuid4()),
        },
    )

    assert page.context["form"]["practice"].value() == world.practice.pk
    [visit] = visits(world)
    assert response["Location"] == visit.get_absolute_url()
    assert (visit.status, visit.visit_date, visit.duration_minutes) == ("planned", day, 90)


def test_scheduling_in_the_past_is_an_error_beside_the_date(client, world):
    client.force_login(world.coach)

    response = client.post(
        url("plan", world),
        {
            "practice": world.practice.pk,
            "visit_date": (TODAY() - timedelta(days=1)).isoformat(),
            "mode": "on_site",
            "duration_minutes": "60",
        },
    )

    assert "A planned visit&#x27;s date is today or later." in field_errors(
        response.content.decode(), "id_visit_date"
    )
    assert visits(world) == []


def test_completing_a_planned_visit_opens_the_log_form_filled_in(client, world):
    visit = planned(world, days=0)
    client.force_login(world.coach)

    page = client.get(url("complete", world, pk=visit.pk))
    data = form_data(world, purpose="Quarterly review")
    del data["practice"]
    response = client.post(url("complete", world, pk=visit.pk), data)

    form = page.context["form"]
    assert form["purpose"].value() == "Quarterly review"
    assert form["visit_date"].value() == TODAY()
    assert "practice" not in form.fields
    assert response["Location"] == visit.get_absolute_url()
    [done] = visits(world)
    assert (done.pk, done.status) == (visit.pk, VisitStatus.LOGGED)


def test_a_logged_visit_cannot_be_completed_again(client, world):
    visit = logged(world)
    client.force_login(world.coach)

    response = client.get(url("complete", world, pk=visit.pk))

    assert response.status_code == 302
    assert response["Location"] == visit.get_absolute_url()


def test_cancelling_needs_a_reason_shown_beside_the_field(client, world):
    visit = planned(world)
    client.force_login(world.coach)

    refused = client.post(url("cancel", world, pk=visit.pk), {"reason": ""})
    done = client.post(url("cancel", world, pk=visit.pk), {"reason": "Practice closed"})

    assert "Say why the visit is cancelled." in field_errors(refused.content.decode(), "id_reason")
    assert done["Location"] == visit.get_absolute_url()
    cancelled = in_scope(world, lambda: Visit.objects.get(pk=visit.pk))
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "Practice closed")
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "Practice closed" in page
    assert url("complete", world, pk=visit.pk) not in page


# The list -----------------------------------------------------------------------------------


def test_the_list_shows_the_visits_in_reach_newest_first_with_filters(client, world):
    old = logged(world, visit_date=TODAY() - timedelta(days=30))
    new = logged(world, visit_date=TODAY() - timedelta(days=1))
    plan = planned(world)
    VisitFactory(program=world.program, practice=world.other_practice, coach=world.other_coach)
    client.force_login(world.lead)

    everything = client.get(url("list", world))
    only_planned = client.get(url("list", world), {"status": "planned"})
    fragment = client.get(
        url("list", world), {"date_to": TODAY().isoformat()}, headers={"HX-Request": "true"}
    )

    assert [v.pk for v in everything.context["visits"]] == [plan.pk, new.pk, old.pk]
    assert world.other_practice.name not in everything.content.decode()
    assert [v.pk for v in only_planned.context["visits"]] == [plan.pk]
    assert [v.pk for v in fragment.context["visits"]] == [new.pk, old.pk]
    assert b"<html" not in fragment.content
    shown = [field.name for field in everything.context["filters"].shown_fields()]
    assert "coach" not in shown  # choosing a coach: admins and managers only


def test_managers_filter_the_list_by_coach(client, world):
    mine = logged(world)
    theirs = VisitFactory(
        program=world.program, practice=world.other_practice, coach=world.other_coach
    )
    client.force_login(world.manager)

    response = client.get(url("list", world), {"coach": world.other_coach.pk})

    assert [v.pk for v in response.context["visits"]] == [theirs.pk]
    assert mine.pk not in [v.pk for v in response.context["visits"]]


# Panels on other pages ----------------------------------------------------------------------


def test_the_practice_page_shows_planned_and_recent_visits_with_totals(client, world):
    logged(
        world,
        visit_date=TODAY() - timedelta(days=10),
        duration_minutes=90,
        activities={"workflow": 90},
    )
    logged(world, visit_date=TODAY() - timedelta(days=100))
    upcoming = planned(world, days=5)
    practice_url = world.practice.get_absolute_url()

    client.force_login(world.coach)
    coach_page = client.get(practice_url).content.decode()
    client.force_login(world.manager)
    manager_page = client.get(practice_url).content.decode()

    log_link = f"{url('log', world)}?practice={world.practice.pk}"
    assert log_link in coach_page and log_link not in manager_page
    assert url("complete", world, pk=upcoming.pk) in coach_page
    assert url("complete", world, pk=upcoming.pk) not in manager_page
    panel = manager_page[manager_page.index('id="visit-panel-title"') :]
    assert "Quarterly review" in panel
    assert f"{url('list', world)}?practice={world.practice.pk}" in panel
    # 90 days: one visit of 1.5 hours (the one of 100 days ago is listed but not counted).
    assert re.search(r'stat__value">1<', panel) and re.search(r'stat__value">1.5<', panel)


def test_the_coach_home_lists_the_next_two_weeks_of_planned_visits(client, world):
    soon = planned(world, days=2)
    later = planned(world, days=20)
    cancelled = planned(world, days=3)
    in_scope(
        world,
        lambda: services.visit_cancel(
            program=world.program, by=world.coach, visit=cancelled, reason="Closed"
        ),
    )
    client.force_login(world.coach)

    html = client.get(reverse("program_home", kwargs={"program": world.program.slug}))
    html = html.content.decode()

    assert "Upcoming visits" in html
    assert url("complete", world, pk=soon.pk) in html
    assert url("cancel", world, pk=soon.pk) in html
    assert url("detail", world, pk=later.pk) not in html
    assert url("detail", world, pk=cancelled.pk) not in html
    assert url("log", world) in html
    # It says it looks two weeks ahead, and links to all the coach's planned visits.
    assert "Planned for the next 14 days" in html
    assert f"{url('list', world)}?status=planned&amp;coach={world.coach.pk}" in html


def test_other_roles_homes_have_no_upcoming_visits(client, world):
    planned(world, days=2)
    client.force_login(world.manager)

    html = client.get(reverse("program_home", kwargs={"program": world.program.slug}))

    assert "Upcoming visits" not in html.content.decode()


def test_the_practice_page_puts_the_visits_before_moving_the_stage(client, world):
    client.force_login(world.coach)

    html = client.get(world.practice.get_absolute_url()).content.decode()

    assert html.index('id="visit-panel-title"') < html.index('id="stage-title"')
    assert html.index("Log a visit<span") < html.index("Move stage")
