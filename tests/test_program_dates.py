"""One date format across the app, from the program's date style (psp/dates.py): pages write
dates in it (`|day`), date inputs show it, read it (and ISO, which the API and old links send)
and name it when they cannot read what was typed. The API keeps ISO."""

from datetime import UTC, date, datetime

import pytest
from django import forms
from django.template import engines
from django.urls import reverse

from psp.dates import DateStyle, read_date, write_date
from psp.forms_fields import BoundedDateField
from psp.tenancy.scope import program_scope
from tests.factories import ProgramFactory, UserFactory, give_totp

DAY = date(2026, 12, 3)
DMY, MDY, ISO = DateStyle.DAY_MONTH_YEAR, DateStyle.MONTH_DAY_YEAR, DateStyle.ISO


class Due(forms.Form):
    # As the apps' forms ask for it: a browser date picker, replaced by the program's input.
    due_on = BoundedDateField(
        label="Due on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def in_style(style, db):
    return program_scope(ProgramFactory(date_style=style))


@pytest.mark.parametrize(
    ("style", "form", "written"),
    [
        (DMY, "date", "3 Dec 2026"),
        (MDY, "date", "Dec 3, 2026"),
        (ISO, "date", "2026-12-03"),
        (DMY, "long", "3 December 2026"),
        (MDY, "weekday", "Thu, Dec 3, 2026"),
        (DMY, "day_month", "3 Dec"),
        (MDY, "long_month", "December 2026"),
    ],
)
def test_dates_are_written_in_the_programs_style(style, form, written):
    assert write_date(DAY, form, style=style) == written


def test_pages_write_dates_with_the_day_filter(db):
    template = engines["django"].from_string('{{ d|day }} · {{ t|day:"time" }} · {{ none|day }}')
    at = datetime(2026, 12, 3, 14, 5, tzinfo=UTC)
    with in_style(MDY, db):
        assert (
            template.render({"d": DAY, "t": at, "none": None})
            == "Dec 3, 2026 · Dec 3, 2026, 14:05 · "
        )
    with in_style(DMY, db):
        assert template.render({"d": DAY, "t": at}) == "3 Dec 2026 · 3 Dec 2026, 14:05 · "


def test_outside_a_program_dates_are_day_month_year():
    assert write_date(DAY) == "3 Dec 2026"


@pytest.mark.parametrize(
    ("style", "typed"),
    [
        (DMY, "3 Dec 2026"),
        (DMY, " 03  december 2026 "),
        (DMY, "3/12/2026"),
        (DMY, "2026-12-03"),
        (MDY, "Dec 3, 2026"),
        (MDY, "December 3 2026"),
        (MDY, "12/3/2026"),
        (MDY, "2026-12-03"),
        (ISO, "2026-12-03"),
    ],
)
def test_a_date_is_read_in_the_programs_style_or_iso(db, style, typed):
    with in_style(style, db):
        assert read_date(typed) == DAY


def test_what_another_style_means_is_not_guessed(db):
    with in_style(ISO, db):
        assert read_date("3 Dec 2026") is None
    with in_style(MDY, db):
        assert read_date("3 Dec 2026") is None
        assert read_date("13/12/2026") is None  # no 13th month


def test_the_date_input_shows_the_programs_format_with_a_hint(db):
    with in_style(MDY, db):
        html = str(Due(initial={"due_on": DAY})["due_on"])
    assert 'type="text"' in html and 'type="date"' not in html
    assert 'value="Dec 3, 2026"' in html
    assert 'autocomplete="off"' in html and 'inputmode="text"' in html
    assert 'aria-describedby="id_due_on_format"' in html
    assert '<div class="helptext date-hint" id="id_due_on_format">' in html
    assert ">e.g. Dec 3, 2026</div>" in html


def test_the_date_input_takes_the_programs_format_and_iso(db):
    with in_style(DMY, db):
        for typed in ("3 Dec 2026", "2026-12-03"):
            form = Due({"due_on": typed})
            assert form.is_valid(), form.errors
            assert form.cleaned_data["due_on"] == DAY


def test_a_date_it_cannot_read_is_refused_naming_the_format(db):
    with in_style(DMY, db):
        form = Due({"due_on": "12/31/2026"})
        assert form.errors["due_on"] == ["Enter the date as day month year, e.g. 3 Dec 2026."]
        assert 'value="12/31/2026"' in str(form["due_on"])  # kept, to be corrected
    with in_style(ISO, db):
        form = Due({"due_on": "3 Dec 2026"})
        assert form.errors["due_on"] == ["Enter the date as year-month-day, e.g. 2026-12-03."]


# Pages and the API ------------------------------------------------------------------------


def test_a_list_page_filters_by_a_date_in_the_programs_style(client, world):
    world.program.date_style = MDY
    world.program.save(update_fields=["date_style"])
    client.force_login(world.manager)
    url = reverse("visits:list", kwargs={"program": world.program.slug})

    response = client.get(url, {"date_from": "Dec 3, 2026"})

    filters = response.context["filters"]
    assert filters.is_valid() and filters.cleaned["date_from"] == DAY
    html = response.content.decode()
    assert 'value="Dec 3, 2026"' in html and ">e.g. Dec 3, 2026</div>" in html


def test_the_api_keeps_iso_dates(world, api_client):
    world.program.date_style = MDY
    world.program.save(update_fields=["date_style"])
    api_client.force_authenticate(world.manager)
    url = f"/api/v1/programs/{world.program.slug}/visits/"

    iso = api_client.get(url, {"date_from": "2026-12-03"})
    styled = api_client.get(url, {"date_from": "Dec 3, 2026"})

    assert iso.status_code == 200
    assert styled.status_code == 400
    assert "2026-12-03" in str(styled.json())


def test_a_page_writes_dates_in_the_programs_style(client, world):
    world.program.date_style = ISO
    world.program.save(update_fields=["date_style"])
    client.force_login(world.manager)

    response = client.get(
        reverse("practices:detail", kwargs={"program": world.program.slug, "pk": world.practice.pk})
    )

    enrolled = world.practice.enrolled_on
    assert enrolled.isoformat() in response.content.decode()
    assert write_date(enrolled, style=DMY) not in response.content.decode()


def test_an_operator_sets_a_programs_date_format_in_the_admin(client, world):
    operator = UserFactory(email="operator@platform.example.org", is_staff=True, is_superuser=True)
    give_totp(operator)
    client.force_login(operator)
    url = reverse("admin:tenancy_program_change", args=[world.program.pk])

    html = client.get(url).content.decode()

    assert 'name="date_style"' in html
    assert "Dec 3, 2026 (month day, year)" in html
