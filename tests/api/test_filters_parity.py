"""One FilterSet per list (issue 9): every list's page and its API take the same parameters,
refuse the same bad values with the same message (the API with 400 naming the parameter, the
page beside the field, listing nothing), and a good filter narrows both the same way."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import ActionStatus, PlanStatus, VisitStatus
from practices.models import Stage
from psp.filters import ONCE_MESSAGE, YES_NO_MESSAGE
from tests.factories import (
    AssessmentFactory,
    CoachAssignmentFactory,
    PlanActionFactory,
    PracticeFactory,
    SupportPlanFactory,
    VisitFactory,
)


@dataclass(frozen=True)
class Resource:
    name: str
    page: str  # the page's URL name
    api: str  # the API's path under the program
    id_filter: str  # a filter taking an id, and what it names
    noun: str
    choice: str  # a filter of one value among choices, and two of its values
    values: tuple[str, str]
    narrow: str  # a filter that narrows the seeded rows, and its value (from the seed)
    page_kwargs: tuple = ()  # the page's own URL kwargs (from the seed)
    api_fixed: tuple = ()  # what the page fixes, as the API's parameters (from the seed)

    def __str__(self):
        return self.name


RESOURCES = [
    Resource("practices", "practices:list", "practices/", "coach", "coach",
             "stage", ("pilot", "training"), "stage"),
    Resource("assessments", "assessments:list", "assessments/", "practice", "practice",
             "kind", ("baseline", "follow_up"), "practice"),
    Resource("plans", "plans:list", "plans/", "practice", "practice",
             "status", ("draft", "active"), "practice"),
    Resource("plan-actions", "actions:practice", "plan-actions/", "owner", "person",
             "source", ("plan", "visit"), "owner",
             page_kwargs=(("practice_pk", "practice"),), api_fixed=(("practice", "practice"),)),
    Resource("visits", "visits:list", "visits/", "coach", "coach",
             "mode", ("on_site", "phone"), "status"),
    Resource("caseload", "caseload:overview", "caseload/", "coach", "coach",
             "stage", ("pilot", "training"), "stage"),
    Resource("dose", "caseload:dose", "dose/", "practice", "practice",
             "group_by", ("month", "practice"), "practice"),
]  # fmt: skip


@pytest.fixture
def seeded(world, other_world) -> dict:
    """Rows of every listed kind, on both of the program's practices, some in pilot; and the
    ids the resources filter by."""
    program, today = world.program, timezone.localdate()
    pilot = PracticeFactory(program=program, name="Pilot Surgery", stage=Stage.PILOT)
    CoachAssignmentFactory(program=program, practice=pilot, coach=world.coach)
    for practice in (world.practice, world.other_practice):
        AssessmentFactory(program=program, practice=practice)
        VisitFactory(program=program, practice=practice, coach=world.coach)
    SupportPlanFactory(program=program, practice=world.practice, status=PlanStatus.DRAFT)
    SupportPlanFactory(program=program, practice=world.other_practice, status=PlanStatus.ACTIVE)
    VisitFactory(
        program=program,
        practice=world.practice,
        coach=world.coach,
        status=VisitStatus.PLANNED,
        visit_date=today + timedelta(days=3),
    )
    for owner in (world.lead, world.staff):
        visit = VisitFactory(program=program, practice=world.practice, coach=world.coach)
        PlanActionFactory(
            program=program, goal=None, plan=None, practice=world.practice, visit=visit,
            owner=owner, status=ActionStatus.OPEN,
        )  # fmt: skip
    return {
        "practice": world.practice.pk,
        "stage": Stage.PILOT,
        "status": VisitStatus.PLANNED,
        "owner": world.lead.pk,
        # Another program's people and practices: unknown here, word for word.
        "coach_elsewhere": other_world.coach.pk,
        "practice_elsewhere": other_world.practice.pk,
        "person_elsewhere": other_world.lead.pk,
    }


def page_url(resource: Resource, world, seeded) -> str:
    kwargs = {name: seeded[key] for name, key in resource.page_kwargs}
    return reverse(resource.page, kwargs={"program": world.program.slug, **kwargs})


def api_get(api_client, resource: Resource, world, seeded, query):
    fixed = [(name, seeded[key]) for name, key in resource.api_fixed]
    return api_client.get(f"/api/v1/programs/{world.program.slug}/{resource.api}", query + fixed)


def page_rows(resource: Resource, response) -> set:
    context = response.context
    if resource.name == "caseload":
        return {entry.practice.pk for entry in context["entries"]}
    if resource.name == "dose":
        report = context["report"]
        return set() if report is None else {(row.key, row.visits) for row in report.rows}
    rows = context["actions" if resource.name == "plan-actions" else resource.name]
    return {row.pk for row in rows}


def api_rows(resource: Resource, body) -> set:
    if resource.name == "dose":
        return {(row["key"], row["visits"]) for row in body["results"]}
    return {row["id"] for row in body["results"]}


def both(client, api_client, resource, world, seeded, query: list[tuple[str, str]]):
    """The page's answer and the API's, to the same query, as the admin."""
    client.force_login(world.admin)
    api_client.force_authenticate(world.admin)
    page = client.get(page_url(resource, world, seeded), query)
    assert page.status_code == 200, page.content
    return page, api_get(api_client, resource, world, seeded, query)


def assert_refused_alike(page, api, resource, name: str, message: str) -> None:
    assert api.status_code == 400, api.content
    assert api.json()["error"]["fields"] == {name: [message]}
    assert page.context["filter_form"].errors == {name: [message]}
    assert page_rows(resource, page) == set(), "a page lists nothing while a filter is refused"
    assert message in page.content.decode()


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_an_id_of_another_program_is_refused_alike(client, api_client, world, seeded, resource):
    key = {"coach": "coach_elsewhere", "practice": "practice_elsewhere"}.get(
        resource.noun, "person_elsewhere"
    )
    their_id = seeded[key]

    page, api = both(client, api_client, resource, world, seeded, [(resource.id_filter, their_id)])

    message = f"No {resource.noun} with id {their_id} in this program."
    assert_refused_alike(page, api, resource, resource.id_filter, message)


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_a_value_outside_the_choices_is_refused_alike(client, api_client, world, seeded, resource):
    page, api = both(client, api_client, resource, world, seeded, [(resource.choice, "maybe")])

    message = "Select a valid choice. maybe is not one of the available choices."
    assert_refused_alike(page, api, resource, resource.choice, message)


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_a_repeated_parameter_of_one_value_is_refused_alike(
    client, api_client, world, seeded, resource
):
    query = [(resource.choice, value) for value in resource.values]

    page, api = both(client, api_client, resource, world, seeded, query)

    assert_refused_alike(page, api, resource, resource.choice, ONCE_MESSAGE)


@pytest.mark.parametrize("resource", RESOURCES, ids=str)
def test_a_good_filter_narrows_the_page_and_the_api_alike(
    client, api_client, world, seeded, resource
):
    everything_page, everything_api = both(client, api_client, resource, world, seeded, [])
    query = [(resource.narrow, seeded[resource.narrow])]
    if resource.name == "dose":
        query.append(("group_by", "practice"))

    page, api = both(client, api_client, resource, world, seeded, query)

    assert api.status_code == 200, api.content
    assert page_rows(resource, page) == api_rows(resource, api.json())
    assert page_rows(resource, page)
    if resource.name != "dose":  # grouped by month: a row per month either way
        assert page_rows(resource, page) < page_rows(resource, everything_page)
        assert api_rows(resource, api.json()) < api_rows(resource, everything_api.json())


def test_a_yes_no_filter_takes_true_false_1_or_0_alike(client, api_client, world, seeded):
    resource = next(r for r in RESOURCES if r.name == "plan-actions")

    page, api = both(client, api_client, resource, world, seeded, [("overdue", "maybe")])
    assert_refused_alike(page, api, resource, "overdue", YES_NO_MESSAGE)
    for value in ("true", "false", "1", "0", "TRUE"):
        page, api = both(client, api_client, resource, world, seeded, [("overdue", value)])
        assert api.status_code == 200 and not page.context["filter_form"].errors, value
        assert page_rows(resource, page) == api_rows(resource, api.json()), value


def test_a_filter_of_several_values_takes_repeats_alike(client, api_client, world, seeded):
    resource = next(r for r in RESOURCES if r.name == "plan-actions")
    query = [("status", "open"), ("status", "done")]

    page, api = both(client, api_client, resource, world, seeded, query)

    assert api.status_code == 200
    assert page_rows(resource, page) == api_rows(resource, api.json())
    assert len(page_rows(resource, page)) == 2


def test_an_id_out_of_the_callers_reach_is_unknown_alike(client, api_client, world, seeded):
    """The other practice is the program's, but not of the coach's caseload: to the coach, it
    is no practice at all, on the visit list and in the API."""
    resource = next(r for r in RESOURCES if r.name == "visits")
    client.force_login(world.coach)
    api_client.force_authenticate(world.coach)
    query = [("practice", world.other_practice.pk)]

    page = client.get(page_url(resource, world, seeded), query)
    api = api_get(api_client, resource, world, seeded, query)

    message = f"No practice with id {world.other_practice.pk} in this program."
    assert_refused_alike(page, api, resource, "practice", message)


def test_planned_visits_take_the_visit_lists_filters_but_the_status(api_client, world, seeded):
    api_client.force_authenticate(world.admin)
    path = f"/api/v1/programs/{world.program.slug}/planned-visits/"

    by_practice = api_client.get(path, {"practice": world.practice.pk})
    elsewhere = api_client.get(path, {"coach": seeded["coach_elsewhere"]})
    twice = api_client.get(path, [("mode", "phone"), ("mode", "email")])

    assert by_practice.status_code == 200 and len(by_practice.json()["results"]) == 1
    assert elsewhere.json()["error"]["fields"] == {
        "coach": [f"No coach with id {seeded['coach_elsewhere']} in this program."]
    }
    assert twice.json()["error"]["fields"] == {"mode": [ONCE_MESSAGE]}


def test_the_api_refuses_any_repeated_parameter_but_a_filter_of_several_values(api_client, world):
    api_client.force_authenticate(world.admin)
    path = f"/api/v1/programs/{world.program.slug}/practices/"

    response = api_client.get(path, [("page", "1"), ("page", "2"), ("ordering", "name")])

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"page": [ONCE_MESSAGE]}


def test_old_links_to_the_pages_still_work(client, world, seeded):
    """Parameters the pages had before their filters were the API's: `q` on the practice list,
    `status=any` and `overdue=on` on the actions lists."""
    client.force_login(world.admin)
    practices = reverse("practices:list", kwargs={"program": world.program.slug})
    actions = page_url(RESOURCES[3], world, seeded)

    searched = client.get(practices, {"q": "pilot"})
    every_status = client.get(actions, {"status": "any", "overdue": "on"})

    assert [p.name for p in searched.context["practices"]] == ["Pilot Surgery"]
    assert not every_status.context["filter_form"].errors
    assert every_status.context["filter_form"].cleaned_data["overdue"] is True
    assert set(every_status.context["filter_form"].cleaned_data["status"]) == set(
        ActionStatus.values
    )
