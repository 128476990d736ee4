"""The values API: the list with its filters, and POST …/kpi-values/bulk/ upserting many values
of many practices and periods in one call, atomic, every bad item named by its index."""

import pytest
from rest_framework.test import APIClient

from kpis.models import KpiValue
from kpis.values.periods import period_code
from psp.history.models import ChangeRecord
from psp.tenancy.scope import program_scope
from tests.api.helpers import api, assert_error, token_header
from tests.factories import KpiValueFactory
from tests.kpis.values.conftest import last_month, last_quarter

pytestmark = pytest.mark.django_db

BULK = "kpi-values/bulk/"


def client_for(world, user) -> APIClient:
    client = APIClient()
    client.credentials(**token_header(world, user))
    return client


def stored(world):
    with program_scope(world.program):
        return {
            (v.practice_id, v.definition.code, v.period): v
            for v in KpiValue.objects.select_related("definition")
        }


def items(world):
    month = period_code(last_month(), "monthly")
    return [
        {"practice": world.practice.pk, "kpi": "patient-visits", "period": month, "value": 41},
        {
            "practice": world.practice.pk,
            "kpi": "no-show-rate",
            "period": month,
            "numerator": 30,
            "denominator": 200,
            "note": "From the EHR",
        },
        {
            "practice": world.practice.pk,
            "kpi": "days-to-intake",
            "period": period_code(last_quarter(), "quarterly"),
            "value": "8.5",
        },
    ]


def test_a_bulk_call_upserts_every_item(world, kpis):
    with program_scope(world.program):
        KpiValueFactory(
            program=world.program,
            definition=kpis.visits,
            practice=world.practice,
            period=last_month(),
            value=39,
        )

    answer = client_for(world, world.coach).post(api(world, BULK), items(world), format="json")

    assert answer.status_code == 200, answer.content
    assert answer.json() == {"new": 2, "updated": 1, "unchanged": 0}
    values = stored(world)
    visits = values[(world.practice.pk, "patient-visits", last_month())]
    assert (visits.value, visits.origin, visits.entered_by) == (41, "api", world.coach)
    assert values[(world.practice.pk, "no-show-rate", last_month())].value == 15
    with program_scope(world.program):
        assert ChangeRecord.objects.filter(subject_type="kpi_value").count() == 1


def test_one_bad_item_writes_nothing_and_every_problem_is_named(world, kpis):
    body = items(world) + [
        {
            "practice": world.other_practice.pk,
            "kpi": "patient-visits",
            "period": "2026-01",
            "value": 3,
        },
        {"practice": world.practice.pk, "kpi": "coaching-hours", "period": "2026-01", "value": 3},
        {"practice": world.practice.pk, "kpi": "patient-visits", "period": "2026-01", "value": -3},
        "not an object",
    ]

    answer = client_for(world, world.lead).post(api(world, BULK), body, format="json")

    error = assert_error(answer, 400, "invalid")
    assert error["rows"] == [
        {
            "index": 3,
            "field": "practice",
            "message": f"No practice with id “{world.other_practice.pk}” that you may enter "
            "values for.",
        },
        {
            "index": 4,
            "field": "kpi",
            "message": "“Coaching hours” is computed from the platform's data; it cannot be "
            "entered.",
        },
        {"index": 5, "field": "value", "message": "A count is a whole number, 0 or more."},
        {"index": 6, "field": "non_field_errors", "message": "Each item is an object."},
    ]
    assert stored(world) == {}


def test_text_and_figures_the_database_cannot_hold_are_named_not_a_server_error(world, kpis):
    month = period_code(last_month(), "monthly")
    body = [
        {"practice": world.practice.pk, "kpi": "patient\u0000visits", "period": month, "value": 1},
        {"practice": world.practice.pk, "kpi": "patient-visits", "period": "0000-01", "value": 1},
        {"practice": world.practice.pk, "kpi": "no-show-rate", "period": month,
         "numerator": "1e11", "denominator": "1e11"},
    ]  # fmt: skip

    answer = client_for(world, world.lead).post(api(world, BULK), body, format="json")

    rows = assert_error(answer, 400, "invalid")["rows"]
    assert [(row["index"], row["field"]) for row in rows] == [
        (0, "kpi"),
        (1, "period"),
        (2, "numerator"),
    ]
    assert stored(world) == {}


def test_a_call_with_no_list_is_refused(world, kpis):
    answer = client_for(world, world.lead).post(api(world, BULK), {"value": 3}, format="json")
    assert assert_error(answer, 400)["message"] == "Send a list of values."


def test_a_manager_reads_values_but_enters_none(world, kpis):
    with program_scope(world.program):
        KpiValueFactory(program=world.program, definition=kpis.visits, practice=world.practice)
    client = client_for(world, world.manager)
    assert len(client.get(api(world, "kpi-values/")).json()["results"]) == 1
    assert_error(client.post(api(world, BULK), items(world), format="json"), 403)


def test_values_are_read_only_one_by_one(world, kpis):
    with program_scope(world.program):
        value = KpiValueFactory(
            program=world.program,
            definition=kpis.computed,
            practice=world.practice,
            origin="computed",
        )
    client = client_for(world, world.admin)
    path = api(world, f"kpi-values/{value.pk}/")
    assert client.get(path).json()["kpi"] == "coaching-hours"
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(path, {"value": 1}, format="json").status_code == 405
    with program_scope(world.program):
        assert KpiValue.objects.get().value == 12


def test_the_list_filters_by_kpi_practice_period_and_origin(world, kpis):
    month = last_month()
    with program_scope(world.program):
        for definition, practice, origin in [
            (kpis.visits, world.practice, "entered"),
            (kpis.visits, world.other_practice, "imported"),
            (kpis.no_show, world.practice, "api"),
        ]:
            KpiValueFactory(
                program=world.program,
                definition=definition,
                practice=practice,
                period=month,
                origin=origin,
            )
        KpiValueFactory(
            program=world.program,
            definition=kpis.visits,
            practice=world.practice,
            period=month.replace(year=month.year - 1),
        )
    client = client_for(world, world.admin)

    def codes(query):
        rows = client.get(api(world, "kpi-values/") + query).json()["results"]
        return sorted((r["kpi"], r["practice"], r["period"]) for r in rows)

    assert len(codes("?kpi=patient-visits")) == 3
    assert len(codes(f"?practice={world.other_practice.pk}")) == 1
    assert len(codes(f"?period_from={month.isoformat()}")) == 3
    assert len(codes(f"?period_to={month.replace(year=month.year - 1).isoformat()}")) == 1
    assert codes("?origin=api") == [("no-show-rate", world.practice.pk, month.isoformat())]


def test_a_coach_lists_only_their_practices_values(world, kpis):
    with program_scope(world.program):
        KpiValueFactory(program=world.program, definition=kpis.visits, practice=world.practice)
        KpiValueFactory(
            program=world.program, definition=kpis.visits, practice=world.other_practice
        )
    rows = client_for(world, world.coach).get(api(world, "kpi-values/")).json()["results"]
    assert [row["practice"] for row in rows] == [world.practice.pk]
