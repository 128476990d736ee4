"""Rows of values named by ids and codes (a CSV's lines, an API call's items) turned into
entries: the practice (one the person may enter values for), the KPI (by its code) and the
period (2026-03, 2026-Q1 or 2026-03-01). Two queries, however many rows."""

from kpis.values import selectors
from kpis.values.periods import parse_period
from kpis.values.services import Entry
from practices.selectors import practices_in_reach
from psp.measures.registry import Frequency
from psp.numbers import parse_id
from psp.tenancy.permissions import Capability

# The fields read from a row besides its practice.
READ = ("kpi", "period", "value", "numerator", "denominator", "note")


def _text(row: dict, name: str) -> str:
    value = row.get(name)
    return "" if value is None else str(value).strip()


def _number(row: dict, name: str):
    """A figure as given: text from a CSV, a number or text from JSON; None for a blank."""
    value = row.get(name)
    if isinstance(value, str):
        value = value.strip() or None
    return value


def resolve_rows(access, rows, *, practice_field: str = "practice_id"):
    """(entries, the position of each, problems [(position, field, message)]) for `rows`, a
    list of (position, {field: value}). A row whose practice, KPI or period cannot be read gives
    problems and no entry."""
    rows, problems = _storable(rows, (practice_field, *READ))
    ids = {parse_id(_text(row, practice_field)) for _, row in rows} - {None}
    reach = practices_in_reach(access=access, capability=Capability.KPI_ENTER)
    practices = {p.pk: p for p in reach.filter(pk__in=sorted(ids))}
    definitions = selectors.definitions_by_code(_text(row, "kpi") for _, row in rows)
    entries, positions = [], []
    for position, row in rows:
        found = []
        raw_id = _text(row, practice_field)
        practice = practices.get(parse_id(raw_id) or 0)
        if practice is None:
            message = f"No practice with id “{raw_id}” that you may enter values for."
            found.append((practice_field, message))
        code = _text(row, "kpi")
        definition = definitions.get(code)
        if definition is None:
            found.append(("kpi", f"No KPI with the code “{code}” in this program."))
        period = parse_period(_text(row, "period"), definition.frequency) if definition else None
        if definition is not None and period is None:
            example = "2026-Q1" if definition.frequency == Frequency.QUARTERLY else "2026-03"
            found.append(("period", f"Give the period as {example}, not “{_text(row, 'period')}”."))
        if found:
            problems += [(position, name, message) for name, message in found]
            continue
        entries.append(
            Entry(
                definition=definition,
                practice=practice,
                period=period,
                value=_number(row, "value"),
                numerator=_number(row, "numerator"),
                denominator=_number(row, "denominator"),
                note=_text(row, "note") if "note" in row else None,
            )
        )
        positions.append(position)
    return entries, positions, problems


def _storable(rows, fields):
    """The rows whose text the database can hold, and a problem for each field of the others
    (a NUL character: PostgreSQL refuses it in text, and it is never typed on purpose)."""
    kept, problems = [], []
    for position, row in rows:
        bad = [name for name in fields if "\x00" in str(row.get(name) or "")]
        if bad:
            problems += [(position, name, "Remove the NUL character (\\0).") for name in bad]
        else:
            kept.append((position, row))
    return kept, problems
