"""KPI names: every key the instrument packs use has a name, and pages show names, not keys."""

import json
from pathlib import Path

import pytest
from django.template import Context, Template

from coaching.models import PlanGoal
from kpis.catalog import KPI_NAMES, kpi_name
from psp.tenancy.scope import program_scope
from tests.coaching.helpers import drafted_setup

PACKS = Path(__file__).resolve().parents[2] / "assessments" / "instruments" / "packs"


def _keys_in(node) -> set[str]:
    if isinstance(node, dict):
        found = {node["kpi_key"]} if node.get("kpi_key") else set()
        return found.union(*(_keys_in(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_keys_in(item) for item in node))
    return set()


def pack_keys() -> set[str]:
    return set().union(*(_keys_in(json.loads(p.read_text())) for p in PACKS.glob("*.json")))


def test_the_packs_use_kpi_keys():
    assert len(pack_keys()) >= 30  # the walk below finds them, so the next test means something


def test_every_kpi_key_of_the_packs_has_a_name():
    missing = sorted(pack_keys() - KPI_NAMES.keys())
    assert missing == [], f"kpis/catalog.py names no KPI for: {missing}"


def test_names_are_words_not_codes():
    for key, name in KPI_NAMES.items():
        assert name != key and " " in name, name  # words, not a code
        assert name[0].isupper(), name


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("third-next-available", "Third next available appointment"),
        ("cpd-credits", "CPD credits"),
        ("minutes-per-ehr-login", "Minutes per EHR login"),
        ("waiting_room_time", "Waiting room time"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_key_reads_as_a_name(key, name):
    assert kpi_name(key) == name


def test_the_template_filter_names_the_kpi():
    rendered = Template("{% load kpi_names %}{{ key|kpi_name }}").render(
        Context({"key": "third-next-available"})
    )
    assert rendered == "Third next available appointment"


def test_the_plan_page_names_a_goals_kpi(client, world):
    drafted = drafted_setup(world)
    with program_scope(world.program):
        PlanGoal.objects.filter(plan=drafted.plan).update(kpi_key="third-next-available")
    client.force_login(world.coach)

    html = client.get(drafted.plan.get_absolute_url()).content.decode()

    assert "<dt>KPI</dt><dd>Third next available appointment</dd>" in html
    assert "<code>third-next-available</code>" not in html
