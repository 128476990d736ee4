"""Every registered measure can become a computed KPI: a slug code a definition can name, a unit,
direction and aggregation the KPI app knows, and the measures the issue promises are all there."""

import re
from dataclasses import replace

import pytest

from assessments.instruments.packs.loader import available_packs
from coaching.visits.models import Activity, VisitMode
from kpis.models import KpiDefinition
from practices.models import Stage
from psp.measures.registry import Aggregation, Direction, Unit, register_measure, registry

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MEASURES = registry.all()


@pytest.mark.parametrize("measure", MEASURES, ids=lambda m: m.code)
def test_a_measure_is_fit_to_be_a_kpi(measure):
    code_length = KpiDefinition._meta.get_field("code").max_length
    assert SLUG.match(measure.code) and len(measure.code) <= code_length
    assert measure.unit in Unit.values
    assert measure.direction in Direction.values
    assert measure.aggregation in Aggregation.values
    assert measure.name.strip() and measure.description.strip()
    assert measure.app and measure.group and callable(measure.compute)


def test_codes_and_names_are_unique():
    assert len({m.code for m in MEASURES}) == len(MEASURES)
    assert len({m.name for m in MEASURES}) == len(MEASURES)


def test_a_second_measure_under_a_taken_code_is_refused():
    visits = registry.get("visits")
    with pytest.raises(ValueError, match="registered twice"):
        register_measure(replace(visits, name="Other visits"))
    assert register_measure(visits) is visits  # the same one again is harmless


def test_the_measures_the_kpis_ship_with_are_registered():
    pack_domains = {d["key"] for pack in available_packs() for d in pack.domains}
    expected = {
        "visits",
        "coaching-hours",
        "days-since-last-visit",
        "plan-goals-achieved",
        "actions-on-time",
        "feedback-usefulness",
        "net-promoter-score",
        "assessment-change",
        *(f"coaching-hours-activity-{a.replace('_', '-')}" for a in Activity.values),
        *(f"coaching-hours-mode-{m.replace('_', '-')}" for m in VisitMode.values),
        *(f"assessment-change-{key}" for key in pack_domains),
        *(f"days-in-stage-{s.replace('_', '-')}" for s in Stage.values),
        "cpd-on-pace",
        "cpd-credits-per-person",
        "cpd-verified-share",
        "compliance-on-time",
        "compliance-items-failed",
        "compliance-open-remediation",
        "compliance-days-overdue",
    }
    assert expected <= {m.code for m in MEASURES}


def test_ratio_measures_are_the_percents_feedback_credits_per_person_and_days_overdue():
    ratios = {m.code for m in MEASURES if m.aggregation == Aggregation.RATIO}
    assert ratios == {
        "plan-goals-achieved",
        "actions-on-time",
        "feedback-usefulness",
        "net-promoter-score",
        "cpd-on-pace",
        "cpd-credits-per-person",
        "cpd-verified-share",
        "compliance-on-time",
        "compliance-days-overdue",
    }
