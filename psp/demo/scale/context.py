"""What the scale builders share while one program is generated."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from psp.demo.scale.spec import ScaleSpec


@dataclass
class ScaleContext:
    spec: ScaleSpec
    program: object
    people: object  # program.People
    version: object = None  # the published instrument version assessed
    structure: list = field(default_factory=list)  # its domains, questions and options
    definitions: list = field(default_factory=list)  # the KPI definitions, in order
    practice_ids: list[int] = field(default_factory=list)  # by practice index
    enrolled: list[date] = field(default_factory=list)  # by practice index
    counts: Counter = field(default_factory=Counter)  # rows written, by table

    def coach_id(self, index: int) -> int:
        return self.people.coaches[self.spec.coach_of(index)].pk

    def lead_id(self, index: int) -> int:
        return self.people.leads[index].pk


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A moment of `day` (the scale program keeps UTC)."""
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)
