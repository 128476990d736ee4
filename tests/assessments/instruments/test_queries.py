"""The instrument pages and the version endpoint cost the same number of queries for a small
and a large instrument: domains, questions and options are joined, never fetched one by one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.instruments import services
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import build_draft


def publish(world, *, domains, questions, name):
    with program_scope(world.program):
        instrument, version = build_draft(
            world.program, world.admin, domains=domains, questions=questions, name=name
        )
        services.version_publish(program=world.program, version=version, by=world.admin)
        # A history (v1 retired, v2 published) and a draft being built (v3).
        draft = services.version_new_draft_from(
            program=world.program, version=version, by=world.admin
        )
        services.version_publish(program=world.program, version=draft, by=world.admin)
        services.version_new_draft_from(program=world.program, version=draft, by=world.admin)
    return instrument, version


def count(client, url) -> int:
    client.get(url)  # warm up: the first visit also records the person's last program
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def pages(world, instrument):
    slug = world.program.slug
    with program_scope(world.program):
        newest = instrument.versions.order_by("-number").first()
    return [
        reverse("instruments:detail", kwargs={"program": slug, "pk": instrument.pk}),
        reverse("instruments:version", kwargs={"program": slug, "pk": newest.pk}),
        reverse("instruments:ideas", kwargs={"program": slug, "pk": instrument.pk}),
        f"/api/v1/programs/{slug}/instrument-versions/{newest.pk}/",
        f"/api/v1/programs/{slug}/instruments/{instrument.pk}/",
    ]


@pytest.mark.parametrize("who", ["admin", "coach"])
def test_the_instrument_pages_cost_the_same_for_a_small_and_a_large_instrument(
    client, world, who, django_assert_num_queries
):
    small, _ = publish(world, domains=1, questions=1, name="Small")
    large, _ = publish(world, domains=7, questions=6, name="Large")
    client.force_login(world.user(who))

    for small_url, large_url in zip(pages(world, small), pages(world, large), strict=True):
        expected = count(client, small_url)
        client.get(large_url)
        with django_assert_num_queries(expected):
            assert client.get(large_url).status_code == 200


def test_the_instrument_list_costs_the_same_for_one_and_many_instruments(
    client, world, django_assert_num_queries
):
    publish(world, domains=1, questions=1, name="Only")
    client.force_login(world.admin)
    url = reverse("instruments:list", kwargs={"program": world.program.slug})
    expected = count(client, url)

    for n in range(5):
        publish(world, domains=2, questions=2, name=f"More {n}")

    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
