"""The lists that grow with the data page by cursor (psp/api/pagination.py): a walk along `next`
returns every row once even while rows are added, `previous` walks back, a cursor that is not
one the list gave is a 400, and a page costs the same queries however long the list is."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from psp.api.pagination import KeysetCursorPagination, _model_field
from psp.api.urls import API_MODULES
from psp.tenancy.scope import program_scope
from tests.api.helpers import api, assert_error
from tests.factories import VisitFactory

DAY = timedelta(days=1)


def add_visits(world, count: int, *, days_ago: int = 7):
    """`count` visits of the world's practice on the same day: ties the id must settle."""
    with program_scope(world.program):
        return [
            VisitFactory(
                program=world.program,
                practice=world.practice,
                coach=world.coach,
                visit_date=timezone.localdate() - days_ago * DAY,
            )
            for _ in range(count)
        ]


def walk(client, url: str, *, between=None) -> list[int]:
    """The ids along `next` from `url`, calling `between()` after each page."""
    ids = []
    while url:
        page = client.get(url)
        assert page.status_code == 200, page.content
        body = page.json()
        assert set(body) == {"next", "previous", "results"}
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
        if between is not None:
            between()
    return ids


def test_a_walk_returns_every_visit_once_while_visits_are_logged(api_client, world):
    older = add_visits(world, 3, days_ago=9)
    tied = add_visits(world, 4, days_ago=7)
    newer = add_visits(world, 2, days_ago=2)
    api_client.force_login(world.manager)
    added = []

    def log_more():
        # Visits logged during the walk, before, among and after the rows already read.
        if len(added) >= 9:
            return
        added.extend(add_visits(world, 1, days_ago=1))
        added.extend(add_visits(world, 1, days_ago=7))
        added.extend(add_visits(world, 1, days_ago=30))

    ids = walk(api_client, api(world, "visits/?page_size=2"), between=log_more)

    existing = [visit.pk for visit in newer[::-1] + tied[::-1] + older[::-1]]
    # Newest first, the id settling ties; every visit there from the start exactly once.
    assert [pk for pk in ids if pk in existing] == existing
    assert len(ids) == len(set(ids))
    # What was logged meanwhile on the part still ahead is read too (the oldest ones here).
    assert {visit.pk for visit in added if visit.visit_date < older[0].visit_date} <= set(ids)


def test_previous_walks_back_to_the_first_page(api_client, world):
    add_visits(world, 5)
    api_client.force_login(world.manager)
    first = api_client.get(api(world, "visits/?page_size=2")).json()
    second = api_client.get(first["next"]).json()
    assert first["previous"] is None

    back = api_client.get(second["previous"]).json()

    assert back["results"] == first["results"]
    assert back["previous"] is None
    assert back["next"] is not None


def test_a_chosen_ordering_pages_by_cursor_too(api_client, world):
    visits = add_visits(world, 5)
    api_client.force_login(world.manager)

    ids = walk(api_client, api(world, "visits/?page_size=2&ordering=created_at"))

    assert ids == [visit.pk for visit in visits]


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", "e30", "eyJvIjogWyItdmlzaXRfZGF0ZSJdLCAiayI6IFsxXSwgInIiOiAwfQ", "%%%"],
)
def test_a_cursor_the_list_did_not_give_is_a_400_naming_it(api_client, world, cursor):
    add_visits(world, 1)
    api_client.force_login(world.manager)

    error = assert_error(api_client.get(api(world, f"visits/?cursor={cursor}")), 400)

    assert list(error["fields"]) == ["cursor"]


def test_a_cursor_sent_with_another_ordering_is_a_400(api_client, world):
    add_visits(world, 3)
    api_client.force_login(world.manager)
    next_link = api_client.get(api(world, "visits/?page_size=1")).json()["next"]
    cursor = parse_qs(urlsplit(next_link).query)["cursor"][0]

    response = api_client.get(api(world, "visits/"), {"cursor": cursor, "ordering": "created_at"})

    assert list(assert_error(response, 400)["fields"]) == ["cursor"]


def test_a_page_deep_in_costs_the_queries_of_the_first_at_any_length(api_client, world):
    api_client.force_login(world.manager)

    def queries_for_second_page() -> int:
        first = api_client.get(api(world, "visits/?page_size=2")).json()
        with CaptureQueriesContext(connection) as captured:
            assert api_client.get(first["next"]).status_code == 200
        return len(captured)

    add_visits(world, 5)
    few = queries_for_second_page()
    add_visits(world, 40, days_ago=12)
    assert queries_for_second_page() == few


def cursor_paged_views():
    return [
        (prefix, viewset)
        for module in API_MODULES
        for prefix, viewset, _ in module.routes
        if getattr(viewset, "pagination_class", None) is KeysetCursorPagination
    ]


@pytest.mark.parametrize(("prefix", "viewset"), cursor_paged_views())
def test_every_cursor_order_is_by_fields_every_row_has(prefix, viewset):
    # A row with NULL in the sort key has no place "after" a cursor: it would be skipped.
    model = viewset.queryset.model
    names = [*(viewset.ordering or []), *(viewset.ordering_fields or [])]
    nullable = [name for name in names if _model_field(model, name.lstrip("-")).null]
    assert viewset.ordering, f"{prefix} declares no ordering"
    assert viewset.ordering_fields is not None, f"{prefix} would let any field order it"
    assert nullable == [], f"{prefix} orders by fields that may be empty"


def test_the_lists_that_grow_with_the_data_page_by_cursor():
    assert {prefix for prefix, _ in cursor_paged_views()} >= {
        "visits",
        "planned-visits",
        "plan-actions",
        "plans",
        "kpi-values",
        "assessments",
        "feedback-invites",
        "notifications",
        "checklists",
        "checklist-responses",
        "cpd-activities",
    }


@pytest.mark.parametrize(
    ("value", "status"), [("0", 400), ("501", 400), ("ten", 400), ("500", 200)]
)
def test_a_cursor_page_size_holds_to_the_bounds_of_every_list(api_client, world, value, status):
    api_client.force_login(world.manager)

    response = api_client.get(api(world, "visits/"), {"page_size": value})

    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    "prefix",
    [
        "visits",
        "plans",
        "plan-actions",
        "kpi-values",
        "assessments",
        "checklists",
        "cpd-activities",
    ],
)
def test_the_default_order_of_a_big_list_has_its_index(prefix):
    # Without (program, <order>, id) the first page sorts the whole program's rows.
    [viewset] = [viewset for name, viewset in cursor_paged_views() if name == prefix]
    model = viewset.queryset.model
    wanted = ["program", *(name.lstrip("-").replace("pk", "id") for name in viewset.ordering)]
    # An index read backwards serves the reverse order: its directions do not matter here.
    assert wanted in [[f.lstrip("-") for f in index.fields] for index in model._meta.indexes]
