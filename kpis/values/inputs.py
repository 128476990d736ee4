"""The entry grid's inputs: each cell's fields are named `kpi.<definition id>.<period>.<part>`
(part: value, numerator or denominator; period as 2026-03 or 2026-Q1), so one form posts the
whole grid and one htmx request posts one cell with the same names."""

from kpis.values.periods import parse_period
from kpis.values.services import Entry

PARTS = ("value", "numerator", "denominator")


def input_name(definition_id: int, code: str, part: str) -> str:
    return f"kpi.{definition_id}.{code}.{part}"


def typed_cell(data, definition, code: str) -> dict:
    """What was typed into one cell: {part: text}, blanks left out."""
    typed = {}
    for part in PARTS:
        text = (data.get(input_name(definition.pk, code, part)) or "").strip()
        if text:
            typed[part] = text
    return typed


def cell_entry(definition, practice, code: str, typed: dict) -> Entry:
    return Entry(
        definition=definition,
        practice=practice,
        period=parse_period(code, definition.frequency),
        value=typed.get("value"),
        numerator=typed.get("numerator"),
        denominator=typed.get("denominator"),
    )


def grid_entries(data, tables, practice) -> list[tuple[object, Entry]]:
    """(cell, entry) for every cell of the grid something was typed into."""
    pairs = []
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                typed = typed_cell(data, row.definition, cell.code)
                if typed:
                    cell.typed = typed
                    pairs.append((cell, cell_entry(row.definition, practice, cell.code, typed)))
    return pairs
