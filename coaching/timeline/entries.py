"""What a practice's timeline is made of: its entries, the kinds they come in, the cursor that
names the last entry shown, and what one page asks of every stream."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.utils import timezone

KINDS = {
    "visits": "Visits",
    "stages": "Stage changes",
    "assessments": "Assessments",
    "plans": "Support plans",
    "actions": "Actions",
}
# The start of a day: the time of a visit without a start time, and of a period's first day.
MIDNIGHT = time(0, 0)


@dataclass
class Entry:
    when: datetime
    kind: str
    stream: int
    pk: int
    title: str
    summary: str = ""
    who: str = ""
    note: str = ""
    url: str = ""
    badge: str = ""
    badge_class: str = ""
    has_time: bool = True

    @property
    def sort_key(self) -> tuple:
        return (self.when, self.stream, self.pk)

    @property
    def cursor(self) -> str:
        return f"{self.when.astimezone(UTC).isoformat()}~{self.stream}~{self.pk}"

    @property
    def month(self) -> date:
        return timezone.localtime(self.when).date().replace(day=1)

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


@dataclass(frozen=True)
class Cursor:
    when: datetime
    stream: int
    pk: int


def parse_cursor(text: str | None) -> Cursor | None:
    """The cursor from "Show older" links; None (the first page) for anything malformed."""
    if not text:
        return None
    try:
        moment, stream, pk = text.split("~")
        when = datetime.fromisoformat(moment)
        if timezone.is_naive(when):
            return None
        return Cursor(when, int(stream), int(pk))
    except ValueError:
        return None


@dataclass
class Bounds:
    """What one page asks of every stream."""

    since: datetime | None  # inclusive
    until: datetime | None  # exclusive
    cursor: Cursor | None
    limit: int
