"""`generate_scale_data` at a tiny size: the same seed gives the same program, a second run
replaces the first, and no other program is touched."""

import pytest
from django.core.management import call_command

from assessments.models import Assessment, DomainScore
from coaching.models import (
    ActionStatusChange,
    CaseloadStanding,
    FeedbackResponse,
    PlanAction,
    Visit,
    VisitActivity,
    VisitStatus,
)
from kpis.models import KpiValue
from practices.models import Practice, StageChange
from psp.tenancy.models import Program
from psp.tenancy.scope import program_scope
from tests.factories import PracticeFactory, ProgramFactory, VisitFactory

pytestmark = pytest.mark.django_db

MODELS = (
    Practice, StageChange, Visit, VisitActivity, FeedbackResponse, Assessment, DomainScore,
    PlanAction, ActionStatusChange, KpiValue, CaseloadStanding,
)  # fmt: skip


def generate(seed: int = 7) -> None:
    call_command("generate_scale_data", visits=300, seed=seed, program="scale-t", verbosity=0)


def snapshot() -> tuple[dict, dict]:
    """Rows per table, and what a manager would read of the first practice."""
    with program_scope(Program.objects.get(slug="scale-t")):
        counts = {model.__name__: model.objects.count() for model in MODELS}
        first = Practice.objects.order_by("name").first()
        seen = {
            "practice": (first.name, first.region, first.sector, first.stage, first.enrolled_on),
            "visits": list(
                Visit.objects.filter(practice=first)
                # Every field read, so two visits on one day come in one order (PostgreSQL
                # otherwise returns ties as they lie).
                .order_by("visit_date", "start_time", "status", "mode", "duration_minutes")
                .values_list("visit_date", "status", "mode", "duration_minutes")
            ),
            "values": list(
                KpiValue.objects.filter(practice=first)
                .order_by("definition__position", "period")
                .values_list("definition__code", "period", "value")
            ),
            "scores": list(
                Assessment.objects.filter(practice=first)
                .order_by("submitted_at")
                .values_list("kind", "overall_score")
            ),
        }
    return counts, seen


def test_the_same_seed_gives_the_same_program_and_other_programs_are_untouched():
    other = ProgramFactory(slug="elsewhere")
    with program_scope(other):
        practice = PracticeFactory(program=other, name="Riverside Family Health Team")
        visit = VisitFactory(program=other, practice=practice)
    generate()
    counts, seen = snapshot()
    assert counts["Practice"] == 3
    assert counts["KpiValue"] == 3 * 10 * 24  # ten KPIs, every practice, every month
    assert counts["CaseloadStanding"] == 3  # the standings were brought current
    with program_scope(Program.objects.get(slug="scale-t")):
        assert Visit.objects.filter(status=VisitStatus.LOGGED).count() == 300
        assert not Visit.objects.filter(status=VisitStatus.LOGGED, activities=None).exists()
    generate()
    assert snapshot() == (counts, seen)
    generate(seed=8)
    other_counts, other_seen = snapshot()
    assert other_counts["Practice"] == 3
    assert other_seen["values"] != seen["values"]
    with program_scope(other):  # generated three times, replaced twice: this one never
        assert list(Practice.objects.values_list("pk", "name")) == [
            (practice.pk, "Riverside Family Health Team")
        ]
        assert list(Visit.objects.values_list("pk", flat=True)) == [visit.pk]
