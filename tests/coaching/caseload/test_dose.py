"""The dose of support: logged visits and minutes per practice (page, panel, CSV) and across
the program (grouped by month, quarter, coach, practice, mode or activity, with filters and the
same rows as CSV). Planned and cancelled visits never count."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse

from coaching.caseload import dose as dose_selectors
from coaching.models import Activity, VisitMode, VisitStatus
from psp.tenancy.access import access_for
from psp.tenancy.models import Sector
from psp.tenancy.permissions import MATRIX, Capability, Role
from psp.tenancy.scope import program_scope
from tests.coaching.caseload.test_pages import (
    coached_practice,
    days_ago,
    today,
    visit,
    visit_with_activities,
)


def practice_url(name, world, practice=None):
    practice = practice or world.practice
    return reverse(name, kwargs={"program": world.program.slug, "practice_pk": practice.pk})


def program_url(name, world):
    return reverse(name, kwargs={"program": world.program.slug})


def end_of_twelve_months():
    """The last twelve months as whole months: to the last day of this month."""
    return dose_selectors.whole_months(*dose_selectors.last_twelve_months())


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture
def dosed(world):
    """world.practice: two on-site visits and a phone call this month-ish, one visit 14 months
    ago (too old), a planned and a cancelled one (never counted)."""
    visit_with_activities(
        world,
        world.practice,
        {Activity.WORKFLOW: 60, Activity.TECHNOLOGY: 30},
        days=0,
        travel_minutes=40,
    )
    visit_with_activities(world, world.practice, {Activity.WORKFLOW: 45}, days=0, travel_minutes=20)
    visit_with_activities(
        world,
        world.practice,
        {Activity.DATA_REVIEW: 20},
        days=0,
        mode=VisitMode.PHONE,
        travel_minutes=0,
    )
    visit(world, world.practice, days=430, duration_minutes=600)
    visit(world, world.practice, days=-3, status=VisitStatus.PLANNED, duration_minutes=600)
    visit(world, world.practice, days=1, status=VisitStatus.CANCELLED, duration_minutes=600)


# One practice -------------------------------------------------------------------------------------


def test_the_practice_dose_counts_logged_visits_of_the_last_twelve_months(world, dosed):
    with program_scope(world.program):
        dose = dose_selectors.practice_dose(practice=world.practice)

    assert (dose.total.visits, dose.total.minutes, dose.total.travel) == (3, 155, 60)
    assert (dose.date_from, dose.date_to) == end_of_twelve_months()
    assert len(dose.by_quarter) in (4, 5)  # twelve months span four or five quarters
    assert dose.by_quarter[-1].minutes == 155
    modes = {row.key: (row.visits, row.minutes) for row in dose.by_mode}
    assert modes == {"on_site": (2, 135), "virtual": (0, 0), "phone": (1, 20), "email": (0, 0)}
    activities = {row.key: row.minutes for row in dose.by_activity if row.minutes}
    assert activities == {"workflow": 105, "technology": 30, "data_review": 20}
    assert [row.pct for row in dose.by_activity if row.minutes] == [100, 30, 20]


def test_the_practice_dose_page_shows_quarters_modes_and_activities(client, world, dosed):
    client.force_login(world.lead)

    response = client.get(practice_url("practice_coaching:dose", world))

    html = response.content.decode()
    assert response.status_code == 200
    assert "By quarter" in html and "By mode" in html and "By support activity" in html
    assert "Workflow and systems optimization" in html
    assert "2 h 35 min" in html  # 155 minutes in total
    assert dose_selectors.quarter_label(today()) in html


def test_the_practice_dose_csv_has_a_row_per_group_with_whole_minutes(client, world, dosed):
    client.force_login(world.coach)

    response = client.get(practice_url("practice_coaching:dose_csv", world))

    rows = rows_of(response)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert rows[0] == ["Breakdown", "Group", "Visits", "Minutes", "Travel minutes"]
    by_group = {(row[0], row[1]): row[2:] for row in rows[1:]}
    assert by_group[("Mode", "On-site")] == ["2", "135", "60"]
    assert by_group[("Mode", "Phone")] == ["1", "20", "0"]
    assert by_group[("Activity", "Workflow and systems optimization")] == ["2", "105", ""]
    quarter = dose_selectors.quarter_label(today())
    assert by_group[("Quarter", quarter)] == ["3", "155", "60"]
    assert len(rows) == 1 + len({r[1] for r in rows[1:] if r[0] == "Quarter"}) + 4 + 8


def test_the_practice_page_has_the_dose_panel(client, world, dosed):
    client.force_login(world.staff)

    html = client.get(world.practice.get_absolute_url()).content.decode()

    assert "Dose of support" in html
    assert "<strong>3</strong> logged visits" in html
    assert practice_url("practice_coaching:dose", world) in html
    assert practice_url("practice_coaching:timeline", world) in html


def test_the_dose_panel_is_hidden_from_someone_who_may_not_see_visits(
    client, world, dosed, monkeypatch
):
    grants = {r: reach for r, reach in MATRIX[Capability.VISIT_VIEW].items() if r != Role.STAFF}
    monkeypatch.setitem(MATRIX, Capability.VISIT_VIEW, grants)
    client.force_login(world.staff)

    html = client.get(world.practice.get_absolute_url()).content.decode()
    page = client.get(practice_url("practice_coaching:dose", world))

    assert "Dose of support" not in html
    assert page.status_code == 403


def test_a_practice_without_visits_says_so(client, world):
    client.force_login(world.coach)

    html = client.get(world.practice.get_absolute_url()).content.decode()

    assert "No logged visits in the last twelve months." in html


def test_another_practices_dose_answers_404(client, world, other_world):
    client.force_login(world.coach)
    assert (
        client.get(practice_url("practice_coaching:dose", world, world.other_practice)).status_code
        == 404
    )
    client.force_login(world.lead)
    csv_url = practice_url("practice_coaching:dose_csv", world, world.other_practice)
    assert client.get(csv_url).status_code == 404
    client.force_login(other_world.admin)
    assert client.get(practice_url("practice_coaching:dose", world)).status_code == 404


# Across the program -------------------------------------------------------------------------------


def report(world, user=None, **filters):
    filters.setdefault("date_from", days_ago(400))
    filters.setdefault("date_to", today())
    with program_scope(world.program):
        access = access_for(program=world.program, user=user or world.manager)
        return dose_selectors.dose_report(access=access, **filters)


@pytest.fixture
def program_dose(world, dosed):
    """Add the other coach's visits to the other practice (a law firm)."""
    world.other_practice.sector = Sector.LAW
    with program_scope(world.program):
        world.other_practice.save()
    visit_with_activities(
        world,
        world.other_practice,
        {Activity.COMPLIANCE: 50},
        days=0,
        coach=world.other_coach,
        mode=VisitMode.VIRTUAL,
        travel_minutes=0,
    )


def test_the_dose_groups_by_coach_and_by_practice(world, program_dose):
    by_coach = {row.label: row.dose for row in report(world, group_by="coach").rows}
    by_practice = {row.label: row.dose for row in report(world, group_by="practice").rows}

    # world.practice has the 3 recent visits and one 430 days ago (outside the 400 asked).
    assert by_coach[str(world.coach)].minutes == 155
    assert by_coach[str(world.other_coach)].minutes == 50
    assert by_practice[world.practice.name].visits == 3
    assert by_practice[world.other_practice.name].minutes == 50


def test_the_dose_groups_by_month_and_quarter_with_empty_periods_as_zero(world, program_dose):
    first = dose_selectors.months_back(today(), 7)  # after the visit 430 days ago
    months = report(world, group_by="month", date_from=first, date_to=today())
    quarters = report(world, group_by="quarter", date_from=first, date_to=today())

    assert len(months.rows) == 8
    assert months.rows[0].label == f"{first:%b %Y}"
    assert months.rows[-1].minutes == 205
    assert sum(row.minutes for row in months.rows) == 205
    assert quarters.rows[0].label == dose_selectors.quarter_label(first)
    assert quarters.rows[-1].label == dose_selectors.quarter_label(today())
    assert quarters.rows[-1].minutes == 205
    assert all(row.minutes == 0 for row in quarters.rows[:-1])


def test_the_dose_groups_by_mode_and_activity(world, program_dose):
    modes = {row.key: row.visits for row in report(world, group_by="mode").rows}
    activity = report(world, group_by="activity")

    assert modes == {"on_site": 2, "virtual": 1, "phone": 1, "email": 0}
    assert {row.key: row.minutes for row in activity.rows if row.minutes} == {
        "workflow": 105,
        "technology": 30,
        "data_review": 20,
        "compliance": 50,
    }
    assert not activity.has_travel


def test_the_dose_filters_by_coach_practice_sector_and_period(world, program_dose):
    assert report(world, coach_id=world.other_coach.pk).total.minutes == 50
    assert report(world, practice_id=world.practice.pk).total.minutes == 155
    assert report(world, sector=Sector.LAW).total.visits == 1
    assert report(world, date_from=days_ago(500), date_to=days_ago(300)).total.minutes == 600


def test_a_coach_sees_the_dose_of_their_own_practices_only(world, program_dose):
    mine = report(world, user=world.coach, group_by="practice")
    assert [row.label for row in mine.rows] == [world.practice.name]
    assert mine.total.minutes == 155


def test_the_dose_page_shows_the_grouping_asked_for(client, world, program_dose):
    client.force_login(world.manager)

    response = client.get(program_url("caseload:dose", world), {"group_by": "coach"})

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["report"].group_by == "coach"
    assert str(world.other_coach) in html
    assert "Download CSV" in html


def test_the_dose_csv_has_exactly_the_pages_rows(client, world, program_dose):
    client.force_login(world.admin)
    query = {"group_by": "mode", "date_from": days_ago(30).isoformat()}

    page = client.get(program_url("caseload:dose", world), query)
    export = client.get(program_url("caseload:dose_csv", world), query)

    rows = rows_of(export)
    assert rows[0] == ["Mode", "Visits", "Minutes", "Travel minutes"]
    assert [row[0] for row in rows[1:]] == [row.label for row in page.context["report"].rows]
    assert rows[1:] == [
        ["On-site", "2", "135", "60"],
        ["Virtual", "1", "50", "0"],
        ["Phone", "1", "20", "0"],
        ["Email", "0", "0", "0"],
    ]


def test_the_activity_csv_has_no_travel_column(client, world, program_dose):
    client.force_login(world.admin)

    rows = rows_of(client.get(program_url("caseload:dose_csv", world), {"group_by": "activity"}))

    assert rows[0] == ["Activity", "Visits", "Minutes"]
    assert ["Compliance guidance", "1", "50"] in rows


def test_a_name_that_looks_like_a_formula_is_exported_as_text(client, world):
    shady = coached_practice(world, "=HYPERLINK(1)")
    visit(world, shady, days=1)
    client.force_login(world.admin)

    rows = rows_of(client.get(program_url("caseload:dose_csv", world), {"group_by": "practice"}))

    assert ["'=HYPERLINK(1)", "1", "60", "20"] in rows


def test_an_invalid_filter_is_shown_and_no_report_is_made(client, world, program_dose):
    """As the API refuses it (400): a report of other visits than those asked for would read as
    the answer."""
    client.force_login(world.manager)

    response = client.get(
        program_url("caseload:dose", world), {"group_by": "weekday", "coach": 99999}
    )

    assert response.status_code == 200
    assert response.context["report"] is None
    assert response.context["filter_form"].errors.keys() == {"group_by", "coach"}
    html = response.content.decode()
    assert "No coach with id 99999 in this program." in html
    assert "Nothing is listed until these filters are fixed" in html
    csv = client.get(program_url("caseload:dose_csv", world), {"coach": 99999})
    assert csv.status_code == 400


def test_the_default_period_is_the_last_twelve_months(client, world, program_dose):
    client.force_login(world.manager)

    result = client.get(program_url("caseload:dose", world)).context["report"]

    assert (result.date_from, result.date_to) == end_of_twelve_months()
    assert result.date_from == dose_selectors.months_back(today(), 11)
    assert len(result.rows) == 12


def test_months_back_crosses_years():
    assert dose_selectors.months_back(date(2025, 2, 14), 11) == date(2024, 3, 1)
    assert dose_selectors.months_back(date(2025, 12, 31), -1) == date(2026, 1, 1)
    assert dose_selectors.quarter_start(date(2025, 11, 20)) == date(2025, 10, 1)
    assert dose_selectors.quarter_label(date(2025, 3, 31)) == "2025 Q1"
    assert date(2025, 1, 1) + timedelta(days=0) == dose_selectors.month_start(date(2025, 1, 31))
