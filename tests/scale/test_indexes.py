"""The indexes the scale benchmark's query plans rely on (issue 15) exist in the database.

Each entry is a page's or a job's access path at 10,000 practices and 1,000,000 visits: without
the index, PostgreSQL reads the whole table (scripts/bench_scale.py --explain shows the plans).
An index counts when its leading columns are the listed ones, in order; a unique constraint
counts too (it is an index). Dropping or reordering one of these fails here by name, not in
production as a slow page.
"""

import pytest
from django.apps import apps
from django.db import connection

# (model, leading fields, who relies on it)
RELIED_ON = [
    # Visits: the API and page lists (newest first), a practice's timeline and dose, a coach's.
    ("coaching.Visit", ["program", "status", "visit_date"], "visits list, program dose"),
    ("coaching.Visit", ["program", "practice", "status", "visit_date"], "practice timeline"),
    ("coaching.Visit", ["program", "coach", "status", "visit_date"], "coach's visits, caseload"),
    # Actions: a person's actions, a practice's open and overdue ones.
    ("coaching.PlanAction", ["program", "owner", "status"], "my actions"),
    ("coaching.PlanAction", ["program", "practice", "status", "due_on"], "practice actions"),
    # KPI values: a definition's months over the program, a practice's values.
    ("kpis.KpiValue", ["program", "definition", "period"], "KPI refresh, values list"),
    ("kpis.KpiValue", ["program", "practice", "definition", "period"], "practice KPIs"),
    # Stored standings: the caseload overview and the program home read one day's ranks.
    ("coaching.CaseloadStanding", ["program", "computed_on", "rank"], "caseload overview"),
    # Dose summaries: the program's months, a practice's months.
    ("coaching.DoseMonth", ["program", "month"], "program dose"),
    ("coaching.DoseMonth", ["program", "practice", "month"], "practice dose"),
    # History: one record's changes.
    ("history.ChangeRecord", ["program", "subject_type", "subject_id", "changed_at"], "history"),
    # CPD and compliance lists.
    ("cpd.CpdActivity", ["program", "person", "ended_on"], "my CPD, a person's CPD"),
    ("cpd.CpdActivity", ["program", "status", "submitted_at"], "verification queue"),
    ("compliance.ChecklistInstance", ["program", "status", "due_on"], "due and overdue lists"),
    ("compliance.ChecklistInstance", ["program", "practice", "due_on"], "practice checklists"),
    # Compliance follow-up: the latest checklists (partial, is_latest), the signed-off counts.
    ("compliance.ChecklistInstance", ["program", "practice", "template"], "status matrix"),
    ("compliance.ChecklistInstance", ["program", "status", "signed_on"], "overview counts"),
]


def _leading_columns(model) -> list[list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [c["columns"] for c in constraints.values() if c["index"] or c["unique"]]


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "fields", "used_by"), RELIED_ON, ids=lambda v: str(v))
def test_the_index_a_plan_relies_on_exists(label, fields, used_by):
    model = apps.get_model(label)
    wanted = [model._meta.get_field(name).column for name in fields]
    found = _leading_columns(model)
    assert any(columns[: len(wanted)] == wanted for columns in found), (
        f"{label}: no index starts with {wanted} ({used_by}); indexes: {found}"
    )
