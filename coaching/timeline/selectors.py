"""Reads for a practice's timeline: visits, stage changes, assessments, plans and actions in
one list, newest first.

Each stream (visits; stage changes; assessments opened, submitted; plans drafted, accepted,
completed; actions added, moved) is one query, limited to a page and to the period, and the
streams are merged in Python. Paging is by position, not by page number: the cursor names the
last entry shown (its time, stream and id), and "Show older" asks each stream for what comes
after it, so a page costs the same nine queries however long the practice's history is. The
streams are in streams.py, what they are made of in entries.py.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from coaching.timeline.entries import KINDS, MIDNIGHT, Bounds, Entry, parse_cursor
from coaching.timeline.streams import STREAMS
from psp.tenancy.permissions import Capability

PAGE_SIZE = 40
KIND_CAPABILITY = {
    "visits": Capability.VISIT_VIEW,
    "stages": Capability.PRACTICE_VIEW,
    "assessments": Capability.ASSESSMENT_VIEW,
    "plans": Capability.PLAN_VIEW,
    "actions": Capability.PLAN_VIEW,
}


@dataclass
class Timeline:
    entries: list[Entry]
    next_cursor: str | None
    visible_kinds: list[tuple[str, str]]
    selected_kinds: list[str]
    date_from: date | None = None
    date_to: date | None = None


def visible_kinds(*, access, practice) -> list[str]:
    return [kind for kind in KINDS if access.can(KIND_CAPABILITY[kind], practice.pk)]


def practice_timeline(
    *,
    access,
    practice,
    kinds=None,
    date_from: date | None = None,
    date_to: date | None = None,
    before: str | None = None,
    limit: int = PAGE_SIZE,
) -> Timeline:
    """One page of the practice's timeline, newest first: the kinds asked for (all by default)
    that the person may see, within the period (dates inclusive), after the `before` cursor.
    One query per stream shown."""
    visible = visible_kinds(access=access, practice=practice)
    selected = [kind for kind in (kinds or visible) if kind in visible]
    bounds = Bounds(
        since=_start_of(date_from) if date_from else None,
        until=_start_of(date_to + timedelta(days=1)) if date_to else None,
        cursor=parse_cursor(before),
        limit=limit,
    )
    slug = access.program.slug
    found: list[Entry] = []
    for stream, (kind, fetch) in enumerate(STREAMS):
        if kind in selected:
            found += fetch(practice, bounds, slug, stream)
    found.sort(key=lambda entry: entry.sort_key, reverse=True)
    page = found[:limit]
    return Timeline(
        entries=page,
        next_cursor=page[-1].cursor if len(found) > limit and page else None,
        visible_kinds=[(kind, KINDS[kind]) for kind in visible],
        selected_kinds=selected,
        date_from=date_from,
        date_to=date_to,
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, MIDNIGHT))
