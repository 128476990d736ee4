"""The list pages' pager (psp/pagination.py): page numbers without counting a whole program.

Shown through the practice list, one of the pages that use it; PSP_LIST_COUNT_LIMIT is made
small so a handful of practices goes past the bound."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PracticeFactory


def list_url(world, **params):
    url = reverse("practices:list", kwargs={"program": world.program.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def names(response) -> list[str]:
    return [practice.name for practice in response.context["practices"]]


def add_practices(world, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        PracticeFactory(program=world.program, name=f"Zeta Clinic {i:03}")


@pytest.fixture
def bounded(settings):
    settings.PSP_LIST_COUNT_LIMIT = 30  # a page of 25, then a bound a few rows further


def test_under_the_bound_it_says_how_many_and_of_how_many_pages(client, world, bounded):
    add_practices(world, 26)  # and the world's own two: 28
    client.force_login(world.admin)

    html = client.get(list_url(world)).content.decode()

    assert "28 practices" in html
    assert "Page 1 of 2" in html


def test_above_the_bound_it_says_more_than_and_pages_on_without_a_last_page(client, world, bounded):
    add_practices(world, 60)
    client.force_login(world.admin)

    first = client.get(list_url(world))
    second = client.get(list_url(world, page=2))
    third = client.get(list_url(world, page=3))

    html = first.content.decode()
    assert "more than 30 practices" in html
    assert '<span class="pagination__status" aria-current="page">Page 1</span>' in html
    assert 'href="?page=2" rel="next"' in html
    assert 'rel="prev"' not in html
    assert len(names(first)) == 25 and len(names(second)) == 25 and len(names(third)) == 12
    assert set(names(first)).isdisjoint(names(second))
    second_html = second.content.decode()
    assert 'href="?page=1" rel="prev"' in second_html and 'href="?page=3" rel="next"' in second_html
    assert 'rel="next"' not in third.content.decode()  # the last page knows it is the last


def test_a_page_past_the_end_above_the_bound_says_so_and_links_to_the_first(client, world, bounded):
    add_practices(world, 60)
    client.force_login(world.admin)

    response = client.get(list_url(world, page=9))

    html = response.content.decode()
    assert response.status_code == 200
    assert names(response) == []
    assert "Page 9 is past the end of the list." in html
    assert 'href="?page=1">First page</a>' in html


def test_a_page_past_the_end_under_the_bound_shows_the_last_page(client, world, bounded):
    add_practices(world, 26)
    client.force_login(world.admin)

    response = client.get(list_url(world, page=9))

    assert response.context["page_obj"].number == 2
    assert len(names(response)) == 3


def test_the_pager_is_a_labelled_navigation_landmark(client, world, bounded):
    add_practices(world, 60)
    client.force_login(world.admin)

    html = client.get(list_url(world)).content.decode()

    assert '<nav class="pagination" aria-label="Pages">' in html


def queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", [1, 2])
def test_a_page_costs_the_same_queries_under_and_far_above_the_bound(
    client, world, bounded, page, django_assert_num_queries
):
    add_practices(world, 10)
    client.force_login(world.admin)
    expected = queries(client, list_url(world, page=page))

    add_practices(world, 100, start=10)

    with django_assert_num_queries(expected):
        client.get(list_url(world, page=page))
