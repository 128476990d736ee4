"""KPI packs: sound files whose codes match the keys the instrument packs use, loading that adds
only what is missing (a second load adds nothing, an admin's edits survive), and the platform
pack skipping measures nobody has registered, and saying so."""

import json
from pathlib import Path

import pytest

from kpis.catalog import KPI_NAMES
from kpis.definitions.packs import available_packs, pack_by_key
from kpis.definitions.packs.services import pack_load
from kpis.models import KpiDefinition
from psp.history.models import ChangeRecord, SubjectType
from psp.tenancy.scope import program_scope
from tests.kpis.definitions.helpers import measure, measures_registered, url

INSTRUMENT_PACKS = Path(__file__).resolve().parents[3] / "assessments" / "instruments" / "packs"


def _instrument_pack_keys() -> set[str]:
    text = " ".join(p.read_text() for p in INSTRUMENT_PACKS.glob("*.json"))
    return {key for key in KPI_NAMES if f'"{key}"' in text}


def test_every_pack_reads_and_the_sector_packs_hold_what_each_sector_tracks():
    codes = {pack.key: {k.code for k in pack.kpis} for pack in available_packs()}
    assert codes["primary-care"] == {
        "third-next-available",
        "continuity-of-care",
        "panel-size",
        "no-show-rate",
        "patient-experience",
        "staff-turnover",
    }
    assert codes["law"] >= {"client-satisfaction", "matter-cycle-time", "staff-turnover"}
    assert codes["education"] >= {"attendance-rate", "assessment-completion", "family-contacts"}
    assert codes["mental-health-social-services"] >= {"caseload-per-practitioner", "no-show-rate"}


def test_pack_codes_are_the_keys_change_ideas_use_for_the_same_kpi():
    used = _instrument_pack_keys()
    pack_codes = {k.code for pack in available_packs() for k in pack.kpis}
    # Every KPI the change ideas name that a pack also tracks is spelled the same way.
    assert {"third-next-available", "no-show-rate", "panel-size", "patient-experience"} <= used
    assert {"client-satisfaction", "family-contacts", "caseload-per-practitioner"} <= used
    assert used & pack_codes >= {
        "third-next-available",
        "no-show-rate",
        "panel-size",
        "patient-experience",
        "client-satisfaction",
        "family-contacts",
        "caseload-per-practitioner",
    }


def test_every_entered_pack_kpi_is_described_with_a_sensible_range():
    for pack in available_packs():
        for kpi in pack.kpis:
            assert kpi.description.endswith("."), kpi.code
            if kpi.unit == "percent":
                assert (kpi.min_value, kpi.max_value) == (0, 100), kpi.code
            if kpi.target is not None and kpi.max_value is not None:
                assert kpi.min_value <= kpi.target <= kpi.max_value, kpi.code


@pytest.mark.django_db
def test_loading_twice_adds_nothing_the_second_time_and_keeps_an_admins_edits(world):
    with program_scope(world.program):
        first = pack_load(program=world.program, pack_key="primary-care", by=world.admin)
        KpiDefinition.objects.filter(code="no-show-rate").update(target=3, name="No-shows")
        second = pack_load(program=world.program, pack_key="primary-care", by=world.admin)
        kept = KpiDefinition.objects.get(code="no-show-rate")
        count = KpiDefinition.objects.count()
        lines = ChangeRecord.objects.filter(subject_type=SubjectType.KPI, what="kpi.created")
        assert lines.count() == 6

    assert len(first.to_add) == 6 and second.to_add == []
    assert len(second.present) == 6
    assert count == 6
    assert (kept.target, kept.name, kept.pack) == (3, "No-shows", "primary-care")


@pytest.mark.django_db
def test_a_kpi_shared_by_two_packs_is_added_once(world):
    with program_scope(world.program):
        pack_load(program=world.program, pack_key="primary-care", by=world.admin)
        plan = pack_load(
            program=world.program, pack_key="mental-health-social-services", by=world.admin
        )
        codes = list(KpiDefinition.objects.values_list("code", flat=True))

    assert codes.count("no-show-rate") == 1
    assert [k.code for k in plan.present] == ["no-show-rate"]


@pytest.mark.django_db
def test_the_platform_pack_adds_registered_measures_only_and_each_of_a_family(world):
    hours = measure("coaching-hours")
    by_mode = measure("coaching-hours-virtual", name="Virtual coaching hours")
    days = measure("days-in-stage-pilot", name="Days in pilot", unit="days", direction="lower")
    with measures_registered(hours, by_mode, days), program_scope(world.program):
        plan = pack_load(program=world.program, pack_key="platform", by=world.admin)
        added = {d.code: d for d in KpiDefinition.objects.all()}

    assert set(added) == {"coaching-hours", "coaching-hours-virtual", "days-in-stage-pilot"}
    assert added["days-in-stage-pilot"].name == "Days in pilot"
    assert (added["days-in-stage-pilot"].unit, added["days-in-stage-pilot"].source) == (
        "days",
        "computed",
    )
    skipped = {k.measure or k.code for k in plan.unavailable}
    assert {"visits", "net-promoter-score", "plan-goals-achieved"} <= skipped


@pytest.mark.django_db
def test_the_packs_page_says_what_each_adds_and_what_it_skips(client, world):
    client.force_login(world.admin)
    with measures_registered(measure("visits", unit="count")):
        html = client.get(url(world, "packs")).content.decode()
        response = client.post(url(world, "packs"), {"pack": "platform"})
        after = client.get(response["Location"]).content.decode()

    assert "Third next available appointment" in html
    assert "Skipped: no measure yet" in html
    assert "net-promoter-score" in html
    assert "1 KPI added from “Platform measures”." in after


@pytest.mark.django_db
def test_loading_an_unknown_pack_is_refused_on_the_page(client, world):
    client.force_login(world.admin)

    page = client.post(url(world, "packs"), {"pack": "astrology"})

    assert page.status_code == 200
    assert "There is no KPI pack called “astrology”." in page.content.decode()


def test_a_pack_names_its_sectors():
    assert pack_by_key("mental-health-social-services").sector_labels == [
        "Mental health",
        "Social services",
    ]
    assert json.loads((INSTRUMENT_PACKS / "primary_care.json").read_text())["sectors"]
