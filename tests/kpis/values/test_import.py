"""The CSV import: checked whole first, landing whole or not at all, every bad row named by its
line and reason; a summary of what changes; limits on size and rows; a template to fill in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpis.models import KpiRefresh, KpiValue
from kpis.values import csv_import
from kpis.values.periods import period_code
from psp.tenancy.scope import program_scope
from tests.factories import KpiValueFactory, PracticeFactory
from tests.kpis.values.conftest import last_month, last_quarter

pytestmark = pytest.mark.django_db

HEADER = "practice_id,kpi,period,value,numerator,denominator,note\n"


def url(world, name="kpis:import"):
    return reverse(name, kwargs={"program": world.program.slug})


def upload(client, world, text: str, *, button="import"):
    file = SimpleUploadedFile("values.csv", text.encode(), content_type="text/csv")
    return client.post(url(world), {"file": file, button: ""})


def values(world):
    with program_scope(world.program):
        return {(v.practice_id, v.definition.code, v.period): v for v in KpiValue.objects.all()}


def good_file(world, kpis) -> str:
    month, quarter = period_code(last_month(), "monthly"), period_code(last_quarter(), "quarterly")
    p = world.practice.pk
    return HEADER + (
        f"{p},patient-visits,{month},41,,,From the EHR\n"
        f"{p},no-show-rate,{month},,120,1000,\n"
        f"{p},days-to-intake,{quarter},9,,,\n"
    )


def test_a_good_file_lands_whole_and_says_what_changed(client, world, kpis):
    with program_scope(world.program):
        KpiValueFactory(
            program=world.program,
            definition=kpis.wait,
            practice=world.practice,
            period=last_quarter(),
            value=9,
        )
    client.force_login(world.lead)

    page = upload(client, world, good_file(world, kpis))

    result = page.context["result"]
    assert result.imported and result.errors == []
    assert result.counts == {"new": 2, "updated": 0, "unchanged": 1}
    saved = values(world)[(world.practice.pk, "patient-visits", last_month())]
    assert (saved.value, saved.note, saved.origin, saved.entered_by) == (
        41,
        "From the EHR",
        "imported",
        world.lead,
    )
    assert values(world)[(world.practice.pk, "no-show-rate", last_month())].value == 12
    with program_scope(world.program):
        assert KpiRefresh.objects.get().stale_since is not None


def test_checking_a_file_saves_nothing(client, world, kpis):
    client.force_login(world.lead)
    page = upload(client, world, good_file(world, kpis), button="check")
    assert page.context["result"].counts["new"] == 3
    assert "ready to import" in page.content.decode()
    assert values(world) == {}


def test_every_bad_row_is_named_and_nothing_lands(client, world, kpis):
    month = period_code(last_month(), "monthly")
    p, other = world.practice.pk, world.other_practice.pk
    text = HEADER + (
        f"{p},patient-visits,{month},41,,,\n"  # line 2: fine
        f"{p},patient-visits,2026-13,4,,,\n"  # line 3
        f"{other},patient-visits,{month},4,,,\n"  # line 4: not the lead's practice
        f"{p},no-such-kpi,{month},4,,,\n"  # line 5
        f"{p},no-show-rate,{month},,5,0,\n"  # line 6
        f"{p},coaching-hours,{month},4,,,\n"  # line 7: computed
        f"{p},patient-visits,{month},42,,,\n"  # line 8: the same as line 2
    )
    client.force_login(world.lead)

    page = upload(client, world, text)

    errors = [(e.line, e.column, e.message) for e in page.context["result"].errors]
    assert errors == [
        (3, "period", "Give the period as 2026-03, not “2026-13”."),
        (4, "practice_id", f"No practice with id “{other}” that you may enter values for."),
        (5, "kpi", "No KPI with the code “no-such-kpi” in this program."),
        (6, "denominator", "The denominator must be more than 0."),
        (7, "kpi", "“Coaching hours” is computed from the platform's data; it cannot be entered."),
        (8, "period", f"Patient visits for {last_month():%b %Y} is given twice."),
    ]
    assert "Nothing was imported" in page.content.decode()
    assert values(world) == {}


def test_a_file_without_the_columns_is_refused_whole(client, world, kpis):
    client.force_login(world.lead)
    page = upload(client, world, "practice,value\n1,2\n")
    (error,) = page.context["result"].errors
    assert (
        error.message == "The first line must name the columns; missing: practice_id, kpi, period."
    )


def test_too_big_a_file_is_refused_next_to_the_field(client, world, kpis, monkeypatch):
    monkeypatch.setattr("kpis.values.forms.MAX_BYTES", 100)
    client.force_login(world.lead)
    page = upload(client, world, good_file(world, kpis) * 3)
    assert "an import takes at most 5 MB" in str(page.context["form"].errors["file"])


def test_too_many_rows_are_refused(client, world, kpis, monkeypatch):
    monkeypatch.setattr(csv_import, "MAX_ROWS", 2)
    client.force_login(world.lead)
    page = upload(client, world, good_file(world, kpis))
    (error,) = page.context["result"].errors
    assert error.message == "The file has more than 2 rows: split it into smaller files."


def test_many_practices_and_periods_import_in_a_fixed_number_of_queries(client, world, kpis):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from kpis.values.periods import recent_periods

    with program_scope(world.program):
        practices = [world.practice] + [PracticeFactory(program=world.program) for _ in range(4)]
    months = recent_periods(timezone.localdate(), "monthly", 12, back=1)

    def file(practices_, months_, shift=0):
        return HEADER + "".join(
            f"{p.pk},patient-visits,{period_code(m, 'monthly')},{n + shift},,,\n"
            for n, (p, m) in enumerate((p, m) for p in practices_ for m in months_)
        )

    client.force_login(world.admin)
    upload(client, world, file(practices[:1], months[:1]))
    with CaptureQueriesContext(connection) as small:
        page = upload(client, world, file(practices[:1], months[:2], shift=1))
    assert page.context["result"].counts == {"new": 1, "updated": 1, "unchanged": 0}
    with CaptureQueriesContext(connection) as large:
        page = upload(client, world, file(practices, months, shift=2))

    assert page.context["result"].counts == {"new": 58, "updated": 2, "unchanged": 0}
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_template_lists_the_persons_practice_and_kpis(client, world, kpis):
    client.force_login(world.lead)
    answer = client.get(url(world, "kpis:import_template"))
    lines = answer.content.decode().splitlines()
    assert lines[0] == "practice_id,kpi,period,value,numerator,denominator,note"
    assert {line.split(",")[1] for line in lines[1:]} == {
        "patient-visits",
        "no-show-rate",
        "days-to-intake",
    }
    assert all(line.startswith(f"{world.practice.pk},") for line in lines[1:])
