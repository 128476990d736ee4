"""Writes that keep KPI values and summaries current.

`kpis_request_refresh` records that a program's figures are out of date and queues one
refresh for the whole burst of writes that made them so; `kpis_refresh` computes the
computed KPIs' values, rebuilds the summaries and the peer percentiles, and stamps how current
they are (KpiRefresh).

How current, without losing a write: `stale_since` is when the oldest write not yet covered by
a refresh happened. A refresh records its start (`started_at`) before it reads anything; at its
end it clears `stale_since` only if no write came after that start. A write during a refresh
finds its mark already covered (`stale_since <= started_at`), so it marks again and queues
another refresh. Each mark queues one refresh (the outbox key names the mark), so a burst of
writes between two refreshes queues one.
"""

import time
from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from kpis.models import KpiDefinition, KpiRefresh
from kpis.refresh import computed, marks, peers, summaries
from kpis.refresh.periods import default_months, periods_of, recent_months
from psp.outbox.services import outbox_covered, outbox_waiting


def kpis_request_refresh(*, program, reason: str = "") -> None:
    """Record that the program's KPI figures are out of date (a value was entered, imported or
    computed from data that changed), so dashboards say so, and queue a refresh of the recent
    months for after the commit. One conditional UPDATE when a refresh is already queued.

    Call it in the transaction of the write that made them stale (or just after its commit,
    as the derived-data subscriber does)."""
    from kpis.refresh.tasks import refresh_kpis

    now = timezone.now()
    with transaction.atomic():
        marked = KpiRefresh.objects.filter(
            Q(stale_since__isnull=True) | Q(stale_since__lte=F("started_at"))
        ).update(stale_since=now)
        if not marked:
            _, created = KpiRefresh.objects.get_or_create(
                program=program, defaults={"stale_since": now}
            )
            if not created:
                return  # already out of date, and a refresh queued that will cover this
        outbox_enqueue_refresh(program=program, mark=now, reason=reason, task=refresh_kpis)


def outbox_enqueue_refresh(*, program, mark, reason: str, task) -> None:
    from psp.outbox.services import outbox_enqueue

    outbox_enqueue(
        task,
        program=program,
        key=f"kpis-refresh:{mark.isoformat()}",
        months=RECENT_MONTHS,
        reason=reason[:100],
    )


# A refresh after a write covers the current month and the two before it: what visits, plans
# and values usually change. The nightly rebuild covers the whole window (periods.py).
RECENT_MONTHS = 3


def kpis_refresh(*, program, months: int | list[date] | None = None, definition_ids=None) -> dict:
    """Bring the program's KPI figures up to date for `months` (a count of recent months, the
    first days of months, or None: the current month and the 24 before it), for every active
    KPI or those of `definition_ids`. One transaction per KPI. Returns counts."""
    from kpis.refresh.tasks import refresh_kpis

    started = timezone.now()
    clock = time.monotonic()
    # Requests already committed: this refresh reads what they were asked for, so when it
    # covers their months too they need not run after it (the demo's seed, a nightly rebuild).
    covers_requests = definition_ids is None and (
        months is None or (isinstance(months, int) and months >= RECENT_MONTHS)
    )
    waiting = outbox_waiting(refresh_kpis) if covers_requests else []
    if not KpiRefresh.objects.update(started_at=started):
        KpiRefresh.objects.get_or_create(program=program, defaults={"started_at": started})
    today = program.local_today()
    window = _months(months, today)
    definitions = KpiDefinition.objects.filter(is_active=True).order_by("pk")
    if definition_ids is not None:
        definitions = definitions.filter(pk__in=definition_ids)
    groups = summaries.practice_groups()
    totals = {"definitions": 0, "written": 0, "removed": 0, "summaries": 0, "ranked": 0}
    for definition in definitions:
        counts = _refresh_definition(program, definition, window, today, groups)
        totals["definitions"] += 1
        for name, count in counts.items():
            totals[name] += count
    if definition_ids is None:
        totals["marks"] = marks.marks_rebuild(program, months=window, groups=groups)
    duration = int((time.monotonic() - clock) * 1000)
    KpiRefresh.objects.update(refreshed_at=timezone.now(), duration_ms=duration)
    if definition_ids is None:
        # Nothing went stale after the start: what this refresh read includes every write.
        KpiRefresh.objects.filter(stale_since__lte=started).update(stale_since=None)
    totals["requests_covered"] = outbox_covered(waiting)
    totals["duration_ms"] = duration
    return totals


def _months(months, today: date) -> list[date]:
    if months is None:
        return default_months(today)
    if isinstance(months, int):
        return recent_months(today, max(months, 1))
    return sorted(set(months))


def _refresh_definition(program, definition, window, today, groups) -> dict:
    periods = periods_of(definition.frequency, window)
    counts = {"written": 0, "removed": 0}
    with transaction.atomic():
        if computed.is_computable(definition):
            practice_ids = None
            if definition.sector:
                practice_ids = [
                    pk for pk, group in groups.items() if group.sector == definition.sector
                ]
            wanted = computed.measure_values(
                program,
                definition,
                periods=periods,
                until=today.replace(day=1),
                practice_ids=practice_ids,
            )
            counts = computed.values_write(program, definition, periods=periods, wanted=wanted)
        counts["summaries"] = summaries.summaries_rebuild(
            program, definition, periods=periods, groups=groups
        )
        counts["ranked"] = peers.peers_rank(program, definition, periods=periods, groups=groups)
    return counts
