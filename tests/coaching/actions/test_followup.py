"""Action follow-up: the status history of every action (plan and visit), actions agreed at a
visit without a plan, the practice and personal action lists with their filters and inline
status change, an action's own page, the practice page's panel, and the actions API."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from coaching.actions import services as action_services
from coaching.actions.history import step_line
from coaching.models import ActionStatus, ActionStatusChange, PlanAction, PlanStatus
from coaching.plans import services
from psp.tenancy.access import access_for
from psp.tenancy.scope import program_scope
from tests.coaching.helpers import make_acceptable
from tests.factories import (
    ActionStatusChangeFactory,
    PlanActionFactory,
    PlanGoalFactory,
    SupportPlanFactory,
    VisitFactory,
)

TODAY = timezone.localdate


def in_scope(world, fn):
    with program_scope(world.program):
        return fn()


def history_of(world, action) -> list[tuple]:
    return in_scope(
        world,
        lambda: list(
            ActionStatusChange.objects.filter(action=action)
            .order_by("changed_at", "pk")
            .values_list("from_status", "to_status", "note", "changed_by_id")
        ),
    )


def fresh(world, action) -> PlanAction:
    return in_scope(world, lambda: PlanAction.objects.get(pk=action.pk))


def visit_action(world, *, practice=None, owner=None, due_in=10, status=ActionStatus.OPEN, **kw):
    """An action agreed at a visit of the coach, without a plan (as the visit service makes
    it: with its first history step, and that step's line of its change history)."""
    practice = practice or world.practice
    visit = kw.pop("visit", None) or VisitFactory(
        program=world.program, practice=practice, coach=world.coach
    )
    action = PlanActionFactory(
        program=world.program,
        goal=None,
        plan=None,
        practice=practice,
        visit=visit,
        title=kw.pop("title", "Print the huddle checklist"),
        owner=owner if owner is not None else world.lead,
        due_on=TODAY() + timedelta(days=due_in) if due_in is not None else None,
        status=status,
        created_by=world.coach,
        **kw,
    )
    step = ActionStatusChangeFactory(
        program=world.program,
        action=action,
        from_status="",
        to_status="open",
        note="",
        changed_by=world.coach,
    )
    step_line(step).save()
    return action


def active_plan_action(world, *, practice=None, owner=None, due_in=20, **kw):
    """An action of an active plan of `practice`."""
    practice = practice or world.practice
    plan = kw.pop("plan", None) or SupportPlanFactory(
        program=world.program, practice=practice, status=PlanStatus.ACTIVE
    )
    goal = PlanGoalFactory(program=world.program, plan=plan)
    return PlanActionFactory(
        program=world.program,
        goal=goal,
        plan=plan,
        practice=practice,
        owner=owner if owner is not None else world.staff,
        due_on=TODAY() + timedelta(days=due_in) if due_in is not None else None,
        **kw,
    )


def url(name, world, **kwargs):
    return reverse(f"actions:{name}", kwargs={"program": world.program.slug, **kwargs})


def api(world, path):
    return f"/api/v1/programs/{world.program.slug}/{path}"


# History ---------------------------------------------------------------------------------


def test_an_added_action_starts_its_history_as_open_by_who_added_it(world, drafted):
    with program_scope(world.program):
        goal = drafted.plan.goals.first()
        action = action_services.action_add(
            program=world.program, goal=goal, by=world.coach, title="Book the huddle room"
        )

    assert history_of(world, action) == [("", "open", "", world.coach.pk)]
    assert fresh(world, action).created_by == world.coach


def test_a_drafted_plans_actions_start_their_history_too(world, drafted):
    with program_scope(world.program):
        actions = list(PlanAction.objects.filter(plan=drafted.plan))
        steps = ActionStatusChange.objects.filter(action__plan=drafted.plan)
        assert steps.count() == len(actions) == 5
        assert set(steps.values_list("from_status", "to_status", "changed_by")) == {
            ("", "open", world.coach.pk)
        }


def test_every_status_change_is_kept_with_who_when_from_to_and_note(world, drafted):
    make_acceptable(world, drafted.plan)
    with program_scope(world.program):
        services.plan_accept(program=world.program, plan=drafted.plan, by=world.coach)
        action = PlanAction.objects.filter(plan=drafted.plan).first()
        before = timezone.now()
        action_services.action_status_change(
            program=world.program, action=action, status="in_progress", by=world.staff
        )
        action_services.action_status_change(
            program=world.program,
            action=action,
            status="in_progress",
            by=world.lead,
            note="Half the slots are reserved.",
        )
        action_services.action_status_change(
            program=world.program, action=action, status="done", by=world.lead, note="All set."
        )
        last = ActionStatusChange.objects.filter(action=action).order_by("-pk").first()

    assert history_of(world, action) == [
        ("", "open", "", world.coach.pk),
        ("open", "in_progress", "", world.staff.pk),
        ("in_progress", "in_progress", "Half the slots are reserved.", world.lead.pk),
        ("in_progress", "done", "All set.", world.lead.pk),
    ]
    assert last.changed_at >= before
    assert fresh(world, action).completed_at == last.changed_at


def test_dropping_needs_a_reason_and_a_refusal_leaves_no_history(world):
    action = visit_action(world)

    with program_scope(world.program), pytest.raises(ValidationError) as refused:
        action_services.action_status_change(
            program=world.program, action=action, status="dropped", by=world.lead, note="  "
        )

    assert refused.value.message_dict == {"note": ["Say why the action is dropped."]}
    assert fresh(world, action).status == ActionStatus.OPEN
    assert len(history_of(world, action)) == 1


def test_a_visit_action_without_a_plan_moves_at_any_time(world):
    action = visit_action(world)

    with program_scope(world.program):
        action_services.action_status_change(
            program=world.program, action=action, status="in_progress", by=world.staff
        )
        action_services.action_status_change(
            program=world.program,
            action=action,
            status="dropped",
            by=world.coach,
            note="The practice bought a new system instead.",
        )

    assert fresh(world, action).status == ActionStatus.DROPPED
    assert fresh(world, action).status_note == "The practice bought a new system instead."
    assert [step[:2] for step in history_of(world, action)] == [
        ("", "open"),
        ("open", "in_progress"),
        ("in_progress", "dropped"),
    ]


def test_an_action_of_a_draft_plan_still_waits_for_the_plan(world, drafted):
    with program_scope(world.program):
        action = PlanAction.objects.filter(plan=drafted.plan).first()
        with pytest.raises(ValidationError):
            action_services.action_status_change(
                program=world.program, action=action, status="done", by=world.coach
            )

    assert fresh(world, action).status == ActionStatus.OPEN
    assert len(history_of(world, action)) == 1


def test_a_visit_action_is_edited_with_an_owner_of_its_practice(world, other_world):
    action = visit_action(world)

    with program_scope(world.program):
        action_services.action_update(
            program=world.program,
            action=action,
            by=world.coach,
            data={"title": "Print two checklists", "owner": world.staff},
        )
        with pytest.raises(ValidationError) as refused:
            action_services.action_update(
                program=world.program,
                action=action,
                by=world.coach,
                data={"owner": other_world.lead},
            )

    assert "owner" in refused.value.message_dict
    assert (fresh(world, action).title, fresh(world, action).owner) == (
        "Print two checklists",
        world.staff,
    )


def test_a_visit_action_is_removed_only_before_it_has_moved(world):
    untouched, moved = visit_action(world), visit_action(world, title="Call the vendor")
    with program_scope(world.program):
        action_services.action_status_change(
            program=world.program, action=moved, status="in_progress", by=world.lead
        )
        action_services.action_status_change(
            program=world.program, action=moved, status="open", by=world.lead
        )
        action_services.action_remove(program=world.program, action=untouched, by=world.coach)
        with pytest.raises(ValidationError):
            action_services.action_remove(program=world.program, action=moved, by=world.coach)

        assert not PlanAction.objects.filter(pk=untouched.pk).exists()
        assert PlanAction.objects.filter(pk=moved.pk).exists()


# The lists -------------------------------------------------------------------------------


def listed(response) -> list[int]:
    return [action.pk for action in response.context["actions"]]


def test_a_practice_list_shows_plan_and_visit_actions_still_to_do_soonest_first(
    client, world, drafted
):
    from_visit = visit_action(world, due_in=3)
    from_plan = active_plan_action(world, due_in=1)
    undated = visit_action(world, due_in=None, title="Someday")
    visit_action(world, status=ActionStatus.DONE, title="Done already")
    visit_action(world, practice=world.other_practice, title="Elsewhere")
    # drafted.plan is a draft: its actions are proposals, not on the list.
    client.force_login(world.lead)

    response = client.get(url("practice", world, practice_pk=world.practice.pk))

    assert response.status_code == 200
    assert listed(response) == [from_plan.pk, from_visit.pk, undated.pk]
    html = response.content.decode()
    assert "Agreed at visit on" in html
    assert from_plan.goal.title in html


def test_the_list_filters_by_status_owner_overdue_and_source(client, world):
    late = visit_action(world, due_in=-2, owner=world.staff)
    plan_action = active_plan_action(world, due_in=5, owner=world.lead)
    done = visit_action(world, status=ActionStatus.DONE, owner=world.lead)
    client.force_login(world.coach)
    path = url("practice", world, practice_pk=world.practice.pk)

    def ids(**query):
        return set(listed(client.get(path, query)))

    assert ids() == {late.pk, plan_action.pk}
    assert ids(status="done") == {done.pk}
    assert ids(status="any") == {late.pk, plan_action.pk, done.pk}
    assert ids(owner=world.lead.pk, status="any") == {plan_action.pk, done.pk}
    assert ids(overdue="on") == {late.pk}
    assert ids(source="visit") == {late.pk}
    assert ids(source="plan") == {plan_action.pk}
    assert client.get(path).context["overdue_count"] == 1


def test_the_list_is_paginated(client, world):
    for i in range(27):
        visit_action(world, title=f"Action {i}", due_in=i)
    client.force_login(world.lead)
    path = url("practice", world, practice_pk=world.practice.pk)

    first, second = client.get(path), client.get(path, {"page": 2})

    assert len(first.context["actions"]) == 25
    assert len(second.context["actions"]) == 2
    assert first.context["paginator"].count == 27


def test_a_filter_change_with_htmx_answers_the_results_alone(client, world):
    visit_action(world)
    client.force_login(world.lead)

    response = client.get(
        url("practice", world, practice_pk=world.practice.pk),
        {"source": "visit"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="action-results"')
    assert "<html" not in html


def test_my_actions_are_mine_across_practices(client, world):
    mine = visit_action(world, owner=world.coach)
    visit_action(world, owner=world.lead)
    client.force_login(world.coach)

    response = client.get(url("mine", world))

    assert listed(response) == [mine.pk]
    assert response.context["title"] == "My actions"


def test_a_coach_looks_at_someone_elses_actions_with_the_owner_filter(client, world):
    theirs = visit_action(world, owner=world.lead)
    visit_action(world, practice=world.other_practice, owner=world.other_coach)
    client.force_login(world.coach)

    response = client.get(url("mine", world), {"owner": world.lead.pk})

    assert listed(response) == [theirs.pk]
    owners = response.context["filter_form"].fields["owner"].widget.listed()
    # Only owners of actions the coach may see (not the other coach of the other practice).
    assert {owner.pk for owner in owners} == {world.lead.pk}


def test_practice_people_have_no_owner_filter_on_their_own_list(client, world):
    mine = visit_action(world, owner=world.staff)
    visit_action(world, owner=world.lead)
    client.force_login(world.staff)

    response = client.get(url("mine", world), {"owner": world.lead.pk})

    assert 'name="owner"' not in response.content.decode()  # their list is theirs
    assert listed(response) == [mine.pk]


def test_the_old_my_actions_address_redirects_for_good_to_the_list(client, world):
    mine = visit_action(world, owner=world.lead)
    client.force_login(world.lead)
    old = reverse("plans:my_actions", kwargs={"program": world.program.slug})

    response = client.get(old, {"status": "any"})
    followed = client.get(old, {"status": "any"}, follow=True)

    assert response.status_code == 301
    assert response["Location"] == url("mine", world) + "?status=any"
    assert listed(followed) == [mine.pk]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", 200),
        ("manager", 200),
        ("coach", 200),
        ("lead", 200),
        ("staff", 200),
        ("other_coach", 404),
        ("outsider", 404),
        ("other_program_admin", 404),
    ],
)
def test_who_sees_a_practices_actions(client, world, other_world, outsider, who, expected):
    action = visit_action(world)
    person = {"outsider": outsider, "other_program_admin": other_world.admin}.get(
        who
    ) or world.user(who)
    client.force_login(person)

    assert client.get(url("practice", world, practice_pk=world.practice.pk)).status_code == (
        expected
    )
    assert client.get(url("detail", world, pk=action.pk)).status_code == expected


# Moving an action from a list ------------------------------------------------------------


def test_staff_move_a_visit_action_in_place_with_htmx(client, world):
    action = visit_action(world)
    client.force_login(world.staff)
    back = url("practice", world, practice_pk=world.practice.pk)

    response = client.post(
        url("status", world, pk=action.pk),
        {"status": "in_progress", "note": "Started today.", "next": back},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="plan-action" id="action-{action.pk}"')
    assert "is now in progress" in html
    assert fresh(world, action).status == ActionStatus.IN_PROGRESS
    assert history_of(world, action)[-1] == (
        "open",
        "in_progress",
        "Started today.",
        world.staff.pk,
    )


def test_dropping_from_the_list_without_a_reason_shows_the_error_in_the_row(client, world):
    action = visit_action(world)
    client.force_login(world.lead)

    response = client.post(
        url("status", world, pk=action.pk), {"status": "dropped"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert "Say why the action is dropped." in html
    assert f'id="id_status{action.pk}_note_error"' in html
    assert fresh(world, action).status == ActionStatus.OPEN


def test_a_plain_post_returns_to_the_list_it_came_from(client, world):
    action = visit_action(world)
    client.force_login(world.lead)
    back = url("practice", world, practice_pk=world.practice.pk) + "?status=any"

    response = client.post(
        url("status", world, pk=action.pk),
        {"status": "dropped", "note": "Not needed after all.", "next": back},
    )

    assert response.status_code == 302
    assert response["Location"] == back
    assert fresh(world, action).status == ActionStatus.DROPPED


def test_a_manager_sees_but_cannot_move_an_action(client, world):
    action = visit_action(world)
    client.force_login(world.manager)

    listing = client.get(url("practice", world, practice_pk=world.practice.pk))
    response = client.post(url("status", world, pk=action.pk), {"status": "done"})

    assert 'name="status"' not in listing.content.decode().split('id="action-results"')[1]
    assert response.status_code == 403
    assert fresh(world, action).status == ActionStatus.OPEN


def test_another_coach_cannot_move_an_action_out_of_reach(client, world):
    action = visit_action(world)
    client.force_login(world.other_coach)

    response = client.post(url("status", world, pk=action.pk), {"status": "done"})

    assert response.status_code == 404
    assert fresh(world, action).status == ActionStatus.OPEN


def test_a_visit_action_has_no_plan_pages(client, world):
    action = visit_action(world)
    client.force_login(world.coach)

    response = client.post(
        reverse(
            "plans:action_edit",
            kwargs={"program": world.program.slug, "planaction_pk": action.pk},
        ),
        {"title": "Renamed"},
    )

    assert response.status_code == 404
    assert fresh(world, action).title == action.title


# An action's own page --------------------------------------------------------------------


def test_an_actions_page_shows_who_did_what_when(client, world):
    action = visit_action(world)
    with program_scope(world.program):
        action_services.action_status_change(
            program=world.program,
            action=action,
            status="dropped",
            by=world.lead,
            note="Replaced by the new EHR checklist.",
        )
    client.force_login(world.staff)

    response = client.get(url("detail", world, pk=action.pk))

    html = " ".join(response.content.decode().split())
    assert "Action “Print the huddle checklist” added, open." in html
    assert "moved from open to dropped. Why: Replaced by the new EHR checklist." in html
    assert "Status: open → dropped" in html
    assert str(world.lead) in html and str(world.coach) in html
    assert "Agreed at visit on" in html


# The practice page's panel ---------------------------------------------------------------


def render_panel(world, user, practice) -> str:
    request = RequestFactory().get("/")
    request.user = user
    with program_scope(world.program):
        access = access_for(program=world.program, user=user)
        template = Template("{% load coaching_followup %}{% practice_actions_panel practice %}")
        return template.render(
            Context(
                {
                    "access": access,
                    "current_program": world.program,
                    "request": request,
                    "practice": practice,
                }
            )
        )


def test_the_practice_panel_counts_open_and_overdue_and_lists_the_next_five(world):
    late = visit_action(world, due_in=-3, title="Late one")
    for i in range(5):
        active_plan_action(world, due_in=i + 1, title=f"Plan step {i}")
    visit_action(world, due_in=40, title="Much later")

    html = " ".join(render_panel(world, world.lead, world.practice).split())

    assert (
        '<span class="stat__value">7</span> <span class="stat__label">open or in progress' in html
    )
    assert '<span class="stat__value">1</span> <span class="stat__label">overdue' in html
    assert late.title in html
    assert "Plan step 3" in html
    assert "Plan step 4" not in html and "Much later" not in html


def test_the_practice_panel_shows_nothing_out_of_reach(world):
    visit_action(world)

    assert render_panel(world, world.other_coach, world.practice).strip() == ""


def test_the_practice_page_includes_the_panel(client, world):
    visit_action(world, title="Print the huddle checklist")
    client.force_login(world.coach)

    response = client.get(world.practice.get_absolute_url())

    assert "Action follow-up" in response.content.decode()
    assert "Print the huddle checklist" in response.content.decode()


# The API ---------------------------------------------------------------------------------


def test_the_api_lists_visit_actions_with_their_practice_visit_and_source(api_client, world):
    action = visit_action(world)
    api_client.force_authenticate(world.lead)

    response = api_client.get(api(world, "plan-actions/"), {"source": "visit"})

    [row] = response.json()["results"]
    assert row["id"] == action.pk
    assert (row["practice"], row["visit"], row["plan"], row["goal"]) == (
        world.practice.pk,
        action.visit_id,
        None,
        None,
    )
    assert row["source"] == "visit"
    assert row["practice_name"] == world.practice.name


def test_the_api_filters_by_practice_owner_status_and_overdue(api_client, world):
    late = visit_action(world, due_in=-1, owner=world.staff)
    later = active_plan_action(world, owner=world.lead)
    elsewhere = visit_action(world, practice=world.other_practice, owner=world.other_coach)
    api_client.force_authenticate(world.admin)

    def ids(**query):
        return {
            row["id"]
            for row in api_client.get(api(world, "plan-actions/"), query).json()["results"]
        }

    assert ids(practice=world.other_practice.pk) == {elsewhere.pk}
    assert ids(owner=world.lead.pk) == {later.pk}
    assert ids(overdue="true") == {late.pk}
    assert ids(source="plan", practice=world.practice.pk) == {later.pk}
    assert ids(status="open", practice=world.practice.pk) == {late.pk, later.pk}


def test_a_status_change_through_the_api_is_in_the_history(api_client, world):
    action = visit_action(world)
    api_client.force_authenticate(world.staff)

    moved = api_client.post(
        api(world, f"plan-actions/{action.pk}/status/"), {"status": "done", "note": "Printed."}
    )
    history = api_client.get(api(world, f"plan-actions/{action.pk}/history/"))

    assert moved.status_code == 200
    assert moved.json()["status"] == "done"
    rows = history.json()
    assert [(row["what"], row["changes"]) for row in rows] == [
        ("action.moved", {"status": ["open", "done"], "status_note": [None, "Printed."]}),
        ("action.added", {"status": [None, "open"]}),
    ]
    assert rows[0]["summary"].endswith("moved from open to done. Note: Printed.")
    assert rows[0]["changed_by"]["id"] == world.staff.pk


def test_an_action_out_of_reach_has_no_history_for_you(api_client, world):
    action = visit_action(world)
    api_client.force_authenticate(world.other_coach)

    assert api_client.get(api(world, f"plan-actions/{action.pk}/history/")).status_code == 404


def test_a_visit_action_is_edited_through_the_api_but_keeps_having_no_goal(api_client, world):
    action = visit_action(world)
    api_client.force_authenticate(world.coach)

    saved = api_client.put(
        api(world, f"plan-actions/{action.pk}/"),
        {"goal": None, "title": "Print three checklists", "owner": world.staff.pk},
        format="json",
    )
    refused = api_client.post(
        api(world, "plan-actions/"), {"goal": None, "title": "Loose"}, format="json"
    )

    assert saved.status_code == 200, saved.json()
    assert (saved.json()["title"], saved.json()["owner"], saved.json()["goal"]) == (
        "Print three checklists",
        world.staff.pk,
        None,
    )
    assert refused.status_code == 400
    assert "goal" in refused.json()["error"]["fields"]


def test_a_moved_visit_action_cannot_be_removed_through_the_api(api_client, world):
    action = visit_action(world, status=ActionStatus.IN_PROGRESS)
    ActionStatusChangeFactory(
        program=world.program, action=action, from_status="open", to_status="in_progress"
    )
    api_client.force_authenticate(world.coach)

    response = api_client.delete(api(world, f"plan-actions/{action.pk}/"))

    assert response.status_code == 400
    assert fresh(world, action).pk == action.pk


def test_an_action_of_a_draft_plan_says_why_it_does_not_move(client, world, drafted):
    with program_scope(world.program):
        action = PlanAction.objects.filter(plan=drafted.plan).first()
    client.force_login(world.coach)

    response = client.post(
        url("status", world, pk=action.pk), {"status": "done"}, headers={"HX-Request": "true"}
    )

    assert "Actions move once the plan is accepted" in response.content.decode()
    assert fresh(world, action).status == ActionStatus.OPEN
