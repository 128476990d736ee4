"""How a practice's KPI reads on its dashboard: values in their unit, the target met or not,
and the comparison with peers, written only when the peer group is large enough."""

from decimal import Decimal

from psp.measures.registry import Direction, Unit
from psp.tenancy.models import Sector

# "Better than 72% of 40 primary-care practices".
PEER_NOUNS = {
    Sector.PRIMARY_CARE: "primary-care practices",
    Sector.LAW: "law practices",
    Sector.EDUCATION: "schools",
    Sector.MENTAL_HEALTH: "mental-health practices",
    Sector.SOCIAL_SERVICES: "social-services practices",
}
SUFFIX = {Unit.PERCENT: "%", Unit.DAYS: " days", Unit.MINUTES: " min", Unit.HOURS: " h"}


def value_text(value, unit: str) -> str:
    """A value as people read it: "12.5%", "3.2 days", "1,240"; "" for no value."""
    if value is None:
        return ""
    number = Decimal(value)
    if unit == Unit.COUNT and number == number.to_integral_value():
        return f"{int(number):,}"
    if unit == Unit.CURRENCY:
        return f"${number:,.2f}"
    text = f"{number:,.1f}".removesuffix(".0")
    return text + SUFFIX.get(unit, "")


def meets_target(value, target, direction: str) -> bool | None:
    """Whether the value meets the target in the KPI's better direction; None when there is
    no value, no target, or no better direction."""
    if value is None or target is None or direction == Direction.NEUTRAL:
        return None
    return value >= target if direction == Direction.HIGHER else value <= target


def peer_text(latest, *, direction: str, sector: str, minimum: int) -> str:
    """The comparison with peers for the latest value, or why there is none. The refresh job
    leaves the percentile empty below the program's peer minimum, so no peer can be worked out."""
    if latest is None:
        return "No value yet: no comparison with peers."
    if latest.peer_percentile is None:
        return f"Fewer than {minimum} practices report this KPI: no comparison."
    verb = "Higher" if direction == Direction.NEUTRAL else "Better"
    noun = PEER_NOUNS.get(sector, "practices")
    return f"{verb} than {latest.peer_percentile}% of {latest.peer_count} {noun}"
