"""The entry grid: a practice's entered KPIs by recent period, saved cell by cell (htmx) or all
at once (no JavaScript), with missing periods flagged and the target shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpis.models import KpiValue
from kpis.values.periods import period_code
from psp.history.models import ChangeRecord
from psp.tenancy.scope import program_scope
from tests.factories import KpiDefinitionFactory, KpiValueFactory
from tests.kpis.values.conftest import HX, last_month, last_quarter

pytestmark = pytest.mark.django_db


def grid_url(world, practice=None):
    practice = practice or world.practice
    kwargs = {"program": world.program.slug, "practice_pk": practice.pk}
    return reverse("kpis:enter", kwargs=kwargs)


def cell_url(world):
    kwargs = {"program": world.program.slug, "practice_pk": world.practice.pk}
    return reverse("kpis:enter_cell", kwargs=kwargs)


def name(definition, period, part="value"):
    return f"kpi.{definition.pk}.{period_code(period, definition.frequency)}.{part}"


def stored(world):
    with program_scope(world.program):
        return {
            (v.definition.code, v.period): (v.value, v.numerator, v.denominator, v.origin)
            for v in KpiValue.objects.select_related("definition")
        }


def test_the_grid_lists_the_practices_entered_kpis_with_targets_and_gaps(client, world, kpis):
    with program_scope(world.program):
        KpiValueFactory(
            program=world.program,
            definition=kpis.visits,
            practice=world.practice,
            period=last_month(),
            value=38,
        )
    client.force_login(world.lead)

    page = client.get(grid_url(world))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Patient visits" in text and "Missed appointment rate" in text
    assert "Days to intake" in text  # quarterly, in a table of its own
    for absent in ("Coaching hours", "Old KPI", "Client satisfaction"):
        assert absent not in text  # computed, retired, another sector's
    assert "target 45" in text  # the practice's own target, not the program's 40
    assert 'value="38"' in text
    assert "5 months not entered" in text  # visits: 6 months shown, one entered
    assert "6 months not entered" in text  # the ratio: none entered
    assert "4 quarters not entered" in text


def test_a_cell_saves_itself_and_answers_saved(client, world, kpis):
    client.force_login(world.staff)
    month = last_month()

    answer = client.post(
        cell_url(world),
        {
            "definition": kpis.visits.pk,
            "period": period_code(month, "monthly"),
            name(kpis.visits, month): "42",
        },
        headers=HX,
    )

    assert answer.status_code == 200
    assert "Saved" in answer.content.decode()
    assert stored(world)[("patient-visits", month)][0] == 42


def test_a_ratio_cell_shows_the_worked_out_value(client, world, kpis):
    client.force_login(world.coach)
    month = last_month()
    body = {
        "definition": kpis.no_show.pk,
        "period": period_code(month, "monthly"),
        name(kpis.no_show, month, "numerator"): "6",
        name(kpis.no_show, month, "denominator"): "50",
    }

    answer = client.post(cell_url(world), body, headers=HX)

    assert "Saved: 12" in answer.content.decode()
    assert stored(world)[("no-show-rate", month)][:3] == (12, 600, 50)


def test_a_refused_cell_keeps_what_was_typed_with_the_reason(client, world, kpis):
    client.force_login(world.lead)
    month = last_month()

    answer = client.post(
        cell_url(world),
        {
            "definition": kpis.visits.pk,
            "period": period_code(month, "monthly"),
            name(kpis.visits, month): "4.5",
        },
        headers=HX,
    )

    text = answer.content.decode()
    assert 'value="4.5"' in text
    assert "A count is a whole number, 0 or more." in text
    assert 'aria-invalid="true"' in text
    assert stored(world) == {}


def test_a_cell_for_a_computed_kpi_is_not_found(client, world, kpis):
    client.force_login(world.admin)
    month = last_month()
    body = {
        "definition": kpis.computed.pk,
        "period": period_code(month, "monthly"),
        name(kpis.computed, month): "3",
    }
    assert client.post(cell_url(world), body, headers=HX).status_code == 404
    assert stored(world) == {}


def test_the_whole_grid_saves_without_javascript(client, world, kpis):
    client.force_login(world.lead)
    month, quarter = last_month(), last_quarter()
    body = {
        name(kpis.visits, month): "41",
        name(kpis.no_show, month, "numerator"): "3",
        name(kpis.no_show, month, "denominator"): "30",
        name(kpis.wait, quarter): "12.5",
    }

    answer = client.post(grid_url(world), body, follow=True)

    assert "KPI values saved: 3 new, 0 changed." in answer.content.decode()
    values = stored(world)
    assert values[("patient-visits", month)] == (41, None, None, "entered")
    assert values[("no-show-rate", month)][0] == 10
    assert values[("days-to-intake", quarter)][0] == 12.5


def test_one_bad_cell_saves_nothing_and_the_typing_stays(client, world, kpis):
    client.force_login(world.lead)
    month, quarter = last_month(), last_quarter()
    body = {name(kpis.visits, month): "41", name(kpis.wait, quarter): "-3"}

    answer = client.post(grid_url(world), body)

    text = answer.content.decode()
    assert answer.status_code == 200
    assert "Nothing was saved." in text
    assert "A number of days cannot be negative." in text
    assert 'value="41"' in text and 'value="-3"' in text
    assert stored(world) == {}


def test_a_changed_value_keeps_its_history(client, world, kpis):
    month = last_month()
    with program_scope(world.program):
        KpiValueFactory(
            program=world.program,
            definition=kpis.visits,
            practice=world.practice,
            period=month,
            value=30,
            note="From the EHR report",
        )
    client.force_login(world.staff)

    client.post(grid_url(world), {name(kpis.visits, month): "33"})

    with program_scope(world.program):
        line = ChangeRecord.objects.get(subject_type="kpi_value")
        value = KpiValue.objects.get()
    assert line.changed_by == world.staff
    assert line.summary == f"Patient visits, {month:%b %Y}: 30 → 33"
    assert line.changes == {"value": ["30.0000", "33.0000"]}
    assert value.note == "From the EHR report"  # the grid has no notes: kept


def test_earlier_periods_are_a_click_away(client, world, kpis):
    client.force_login(world.lead)
    page = client.get(grid_url(world) + "?back=6")
    periods = [p for p, _ in page.context["tables"][0].periods]
    assert periods[-1] < last_month()
    assert len(periods) == 6


@pytest.mark.parametrize("role", ["lead", "staff", "coach"])
def test_nobody_enters_for_a_practice_out_of_their_reach(client, world, kpis, role):
    client.force_login(world.user(role))
    month = last_month()
    answer = client.post(grid_url(world, world.other_practice), {name(kpis.visits, month): "4"})
    assert answer.status_code == 404
    assert stored(world) == {}


def test_the_grid_costs_the_same_queries_for_few_and_many_kpis_and_values(client, world, kpis):
    client.force_login(world.lead)
    url = grid_url(world)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    with program_scope(world.program):
        for n in range(6):
            definition = KpiDefinitionFactory(
                program=world.program, unit="count", aggregation="sum"
            )
            for period in (last_month(), last_month().replace(month=1)):
                KpiValueFactory(
                    program=world.program,
                    definition=definition,
                    practice=world.practice,
                    period=period,
                    value=n,
                )

    with CaptureQueriesContext(connection) as many:
        page = client.get(url)

    assert len(page.context["tables"][0].rows) == 8
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_saved_ratio_shows_the_figures_as_typed(client, world, kpis):
    client.force_login(world.lead)
    month = last_month()
    client.post(
        grid_url(world),
        {
            name(kpis.no_show, month, "numerator"): "6",
            name(kpis.no_show, month, "denominator"): "50",
        },
    )

    text = client.get(grid_url(world)).content.decode()

    assert 'value="6"' in text and 'value="50"' in text  # not the stored 600
    assert "= 12" in text


@pytest.mark.parametrize("role", ["lead", "staff"])
def test_practice_people_find_the_grid_on_their_home_and_practice_page(client, world, kpis, role):
    client.force_login(world.user(role))
    url = grid_url(world)
    home = client.get(reverse("program_home", kwargs={"program": world.program.slug}))
    practice = client.get(world.practice.get_absolute_url())
    assert f'href="{url}"' in home.content.decode()
    assert f'href="{url}"' in practice.content.decode()


def test_a_manager_sees_no_link_to_enter_values(client, world, kpis):
    client.force_login(world.manager)
    practice = client.get(world.practice.get_absolute_url())
    assert grid_url(world) not in practice.content.decode()
