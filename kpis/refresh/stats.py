"""The arithmetic of summaries and peer percentiles, with no database (so it can be tested
on known numbers and shared by every database's path)."""

import math
from bisect import bisect_left, bisect_right
from decimal import Decimal

from psp.measures.registry import Aggregation, Direction

BINS = 10


def to_decimal(number: float | None) -> Decimal | None:
    if number is None or not math.isfinite(number):
        return None
    return Decimal(f"{number:.4f}")


def quantile(ordered: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks: PostgreSQL's percentile_cont."""
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def histogram(ordered: list[float]) -> list[int]:
    """Counts in ten equal bins from the lowest value to the highest (the highest value in the
    last bin; all in the first when every value is the same)."""
    counts = [0] * BINS
    low, high = ordered[0], ordered[-1]
    width = high - low
    for number in ordered:
        index = 0 if width == 0 else min(int((number - low) / width * BINS), BINS - 1)
        counts[index] += 1
    return counts


def meets(value: float, target: float | None, direction: str) -> bool:
    if target is None or direction == Direction.NEUTRAL:
        return False
    return value >= target if direction == Direction.HIGHER else value <= target


def combine(
    aggregation: str, entries: list[tuple]
) -> tuple[float | None, float | None, float | None]:
    """(value, numerator, denominator) of a group from its entries (practice_id, value,
    numerator, denominator), by the KPI's aggregation. Latest values were carried forward per
    practice before this, so over practices they combine as a mean."""
    values = [entry[1] for entry in entries]
    if aggregation == Aggregation.SUM:
        return math.fsum(values), None, None
    if aggregation == Aggregation.MEDIAN:
        return quantile(sorted(values), 0.5), None, None
    if aggregation == Aggregation.RATIO:
        parts = [(entry[2], entry[3]) for entry in entries if entry[3] is not None]
        if parts:
            numerator = math.fsum(part[0] or 0.0 for part in parts)
            denominator = math.fsum(part[1] for part in parts)
            value = numerator / denominator if denominator else None
            return value, numerator, denominator
    return math.fsum(values) / len(values), None, None


def summarise(entries: list[tuple], *, aggregation: str) -> dict:
    """A summary's figures for one group of entries (practice id, value, numerator,
    denominator, whether the practice met its target)."""
    ordered = sorted(entry[1] for entry in entries)
    value, numerator, denominator = combine(aggregation, entries)
    return {
        "practices": len(entries),
        "value": to_decimal(value),
        "numerator": to_decimal(numerator),
        "denominator": to_decimal(denominator),
        "minimum": to_decimal(ordered[0]),
        "p25": to_decimal(quantile(ordered, 0.25)),
        "median": to_decimal(quantile(ordered, 0.5)),
        "p75": to_decimal(quantile(ordered, 0.75)),
        "maximum": to_decimal(ordered[-1]),
        "on_target": sum(entry[4] for entry in entries),
        "histogram": histogram(ordered),
    }


def percentile(*, below: int, equal: int, count: int) -> int:
    """0-100: the share of the other peers doing worse, ties counting half (the best of
    several alone gets 100, the worst 0). Whole-number arithmetic, rounding halves up, as the
    SQL of peers.py computes it."""
    if count <= 1:
        return 50
    return (200 * below + 100 * (equal - 1) + (count - 1)) // (2 * (count - 1))


def percentiles(values: list[float], direction: str) -> list[int]:
    """Each value's percentile among `values`, better being higher whatever the direction
    (a neutral KPI ranks as higher-is-better)."""
    keys = [-number if direction == Direction.LOWER else number for number in values]
    ordered = sorted(keys)
    count = len(ordered)
    return [
        percentile(
            below=bisect_left(ordered, key),
            equal=bisect_right(ordered, key) - bisect_left(ordered, key),
            count=count,
        )
        for key in keys
    ]
