"""The dose pages and the API read the summary: a visit logged through the form is in the dose
on the coach's next page, and the pages say which whole months they counted."""

from django.urls import reverse

from coaching.caseload import dose as dose_selectors
from tests.coaching.caseload.test_pages import days_ago, today, visit
from tests.coaching.visits.test_pages import form_data
from tests.coaching.visits.test_pages import url as visit_url


def dose_page(world):
    return reverse(
        "practice_coaching:dose",
        kwargs={"program": world.program.slug, "practice_pk": world.practice.pk},
    )


def test_a_visit_logged_through_the_form_is_in_the_dose_on_the_next_page(client, world):
    client.force_login(world.coach)
    before = client.get(dose_page(world)).context["dose"].total

    logged = client.post(visit_url("log", world), form_data(world))
    after = client.get(dose_page(world)).context["dose"]

    assert logged.status_code == 302
    assert (after.total.visits, after.total.minutes) == (before.visits + 1, before.minutes + 60)
    assert {row.key: row.minutes for row in after.by_activity if row.minutes} == {
        "workflow": 40,
        "data_review": 20,
    }


def test_the_program_dose_counts_whole_months_and_says_so(client, world):
    first_day = dose_selectors.month_start(today())
    visit(world, world.practice, days=(today() - first_day).days, duration_minutes=70)
    client.force_login(world.manager)
    query = {"group_by": "month", "date_from": today().isoformat(), "date_to": today()}

    response = client.get(reverse("caseload:dose", kwargs={"program": world.program.slug}), query)

    report = response.context["report"]
    assert report.total.minutes == 70  # on the month's first day, before the day asked for
    month = f"{today():%b %Y}"
    assert report.months_text == f"{month} – {month}"
    assert f'counted by whole months: <time datetime="{today():%Y-%m}">{month}</time>' in (
        response.content.decode()
    )


def test_the_practice_dose_page_says_its_months(client, world):
    client.force_login(world.lead)

    html = client.get(dose_page(world)).content.decode()

    first = dose_selectors.months_back(today(), 11)
    assert "Counted by whole months:" in html
    assert f"{first:%b %Y}</time> – <time" in html


def test_the_api_dose_says_the_whole_months_it_counted(api_client, world):
    visit(world, world.practice, days=400, duration_minutes=25)
    api_client.force_authenticate(world.manager)
    asked = days_ago(400)

    body = api_client.get(
        f"/api/v1/programs/{world.program.slug}/dose/",
        {"date_from": asked.isoformat(), "date_to": asked.isoformat()},
    ).json()

    assert body["date_from"] == asked.replace(day=1).isoformat()
    assert body["counted_months"] == f"{asked:%b %Y} – {asked:%b %Y}"
    assert body["total"]["minutes"] == 25
