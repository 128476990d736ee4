"""My progress and a person's page: the cycle's total against what is required, shortfalls in
words with their due dates, categories with sub-categories under their parent, caps, verified
against counted (verifying moves it), the pace chart with its table, earlier cycles, and what
the page says with no scheme or no cycle yet; a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from psp.dates import write_date
from tests.cpd.progress.helpers import (
    TODAY,
    act,
    cycle_of,
    membership_of,
    record,
    small_scheme,
    url,
)
from tests.cpd.scheme_factories import make_activity, make_cycle

pytestmark = pytest.mark.django_db


def text(page) -> str:
    return " ".join(page.content.decode().split())


def test_my_progress_shows_the_total_the_shortfalls_by_when_and_the_categories(client, world):
    small_scheme(world)
    record(world, world.staff, days_ago=40, hours="3")
    record(world, world.staff, days_ago=30, activity_type="reading", items=6, hours="1")
    client.force_login(world.staff)

    page = client.get(url(world, "progress"))

    assert page.status_code == 200
    shown = page.context["progress"]
    assert str(shown.result.total) == "5.00"  # 3 + reading capped at 2 (6 articles x 0.5)
    html = text(page)
    assert "<strong>5</strong> of 10 credits" in html
    assert shown.cycle.starts_on == TODAY - timedelta(days=40)  # one's own start: the first
    due = write_date(shown.cycle.ends_on)
    assert f"5 more credits in total, by {due}" in html
    assert f"2 more credits of Certified, by {due}" in html
    assert "Reading: 1 credit above the cap of 2 a cycle did not count." in html
    # The sub-category comes right under its parent.
    rows = [row.name for row in shown.categories]
    assert rows == ["Certified", "Assessment", "Self-directed"]
    assert [row.is_sub for row in shown.categories] == [False, True, False]
    assert 'role="img"' in html and "The chart's numbers" in html


def test_verifying_an_activity_moves_credits_from_not_verified_to_verified(client, world):
    small_scheme(world)
    sent = record(world, world.staff, days_ago=10, hours="3.5", submit=True)
    client.force_login(world.staff)
    before = client.get(url(world, "progress")).context["progress"]
    assert (str(before.verified), str(before.not_verified)) == ("0", "3.50")

    act(world, "activity_verify", sent, world.admin)

    after = client.get(url(world, "progress"))
    shown = after.context["progress"]
    assert (str(shown.verified), str(shown.not_verified)) == ("3.50", "0.00")
    assert "Verified</dt><dd>3.50 credits" in text(after).replace("> <", "><")


def test_an_earlier_cycle_is_shown_when_chosen_and_another_persons_is_not_found(client, world):
    scheme = small_scheme(world)
    current = record(world, world.staff, days_ago=10).cycle
    start = current.starts_on - timedelta(days=365)
    earlier = make_cycle(scheme, world.staff, start, current.starts_on - timedelta(days=1))
    make_activity(earlier, start + timedelta(days=3), 11)
    theirs = make_cycle(scheme, world.lead, start, current.starts_on - timedelta(days=1))
    client.force_login(world.staff)

    page = client.get(url(world, "progress"), {"cycle": earlier.pk})

    assert page.context["progress"].cycle == earlier
    assert "This cycle ended on" in text(page)
    assert "Every requirement was met on" in text(page)
    assert f'<option value="{earlier.pk}" selected>' in page.content.decode()
    assert client.get(url(world, "progress"), {"cycle": theirs.pk}).status_code == 404
    assert client.get(url(world, "progress"), {"cycle": "x"}).status_code == 404


def test_with_no_scheme_the_page_says_what_that_means_and_whom_to_ask(client, world):
    client.force_login(world.staff)

    page = text(client.get(url(world, "progress")))

    assert "No CPD scheme applies to you" in page
    assert f"ask {world.admin.full_name}" in page


def test_under_a_scheme_with_no_cycle_yet_the_page_says_when_it_starts(client, world):
    small_scheme(world)
    client.force_login(world.staff)

    page = text(client.get(url(world, "progress")))

    assert "no cycle is running yet: it starts with the first activity you record" in page


def test_a_persons_page_shows_their_progress_to_those_who_read_their_cpd(client, world):
    small_scheme(world)
    record(world, world.staff, days_ago=10, hours="4")
    client.force_login(world.lead)

    page = client.get(url(world, "person", pk=membership_of(world, world.staff).pk))

    assert page.status_code == 200
    assert page.context["progress"].person == world.staff
    assert "<strong>4</strong> of 10 credits" in text(page)


def test_my_cpd_and_my_progress_link_each_other(client, world):
    small_scheme(world)
    record(world, world.staff, days_ago=10)
    client.force_login(world.staff)

    mine = client.get(url(world, "mine")).content.decode()
    progress = client.get(url(world, "progress")).content.decode()

    assert f'href="{url(world, "progress")}"' in mine
    assert f'href="{url(world, "mine")}"' in progress
    assert url(world, "completion") not in progress  # staff do not read the program's


# Query counts -------------------------------------------------------------------------------------


def queries_for(client, path) -> int:
    client.get(path)  # warm up: the first visit also records the person's last program
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_my_progress_and_a_persons_page_cost_the_same_for_few_and_many_activities(client, world):
    small_scheme(world)
    record(world, world.staff, days_ago=200, hours="1")
    person = url(world, "person", pk=membership_of(world, world.staff).pk)
    client.force_login(world.staff)
    few_mine = queries_for(client, url(world, "progress"))
    client.force_login(world.manager)
    few_person = queries_for(client, person)

    for n in range(12):
        sent = record(world, world.staff, days_ago=190 - n * 15, hours="1", submit=n % 2 == 0)
        if n % 4 == 0:
            act(world, "activity_verify", sent, world.admin)
    record(world, world.staff, days_ago=500, hours="2")  # an earlier cycle too

    assert queries_for(client, person) == few_person
    client.force_login(world.staff)
    assert queries_for(client, url(world, "progress")) == few_mine
    assert cycle_of(world, sent).status == "met"


def test_an_earlier_cycle_that_ended_short_says_it_was_not_met(client, world):
    scheme = small_scheme(world)
    start = TODAY - timedelta(days=800)
    ended = make_cycle(scheme, world.staff, start, start + timedelta(days=364))
    make_activity(ended, start + timedelta(days=3), 4)
    client.force_login(world.staff)

    page = text(client.get(url(world, "progress"), {"cycle": ended.pk}))

    assert "The cycle ended before every requirement was met." in page
    assert "Not met" in page
    assert "6 more credits in total, due" in page and "(that period is over)" in page
