"""Template helpers of the KPI entry grid: a cell's inputs, and numbers as people write them."""

from decimal import Decimal

from django import template

from kpis.values.inputs import input_name
from kpis.values.validation import is_ratio, ratio_scale

register = template.Library()

PART_LABELS = {"value": "", "numerator": "Numerator", "denominator": "Denominator"}


@register.filter
def kpi_number(number) -> str:
    """12.5000 as 12.5, 3.0000 as 3; blank for none."""
    if number is None or number == "":
        return ""
    if not isinstance(number, Decimal):
        number = Decimal(str(number))
    text = f"{number.quantize(Decimal('0.0001')).normalize():f}"
    return text


@register.simple_tag
def cell_inputs(row, cell) -> list[dict]:
    """The inputs of one grid cell: the value, or a ratio KPI's numerator and denominator, each
    with its name, id, label for screen readers, and what it shows (what was typed when it
    could not be saved, else the saved value)."""
    definition = row.definition
    parts = ("numerator", "denominator") if is_ratio(definition) else ("value",)
    saved = cell.value
    inputs = []
    for part in parts:
        name = input_name(definition.pk, cell.code, part)
        if cell.typed or cell.errors:
            text = cell.typed.get(part, "")
        else:
            text = kpi_number(_typed_as(definition, saved, part)) if saved is not None else ""
        words = f"{definition.name}, {cell.label}"
        if PART_LABELS[part]:
            words = f"{words}: {PART_LABELS[part].lower()}"
        inputs.append(
            {
                "name": name,
                "id": "id-" + name.replace(".", "-"),
                "label": words,
                "short": PART_LABELS[part],
                "text": text,
            }
        )
    return inputs


def _typed_as(definition, saved, part: str):
    """A stored figure as people typed it: a percentage's numerator without its ×100."""
    number = getattr(saved, part, None)
    if part == "numerator" and number is not None:
        return number / ratio_scale(definition)
    return number
