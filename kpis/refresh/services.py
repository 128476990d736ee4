"""Writes that keep KPI summaries current."""

from django.utils import timezone

from kpis.models import KpiRefresh


def kpis_request_refresh(*, program, reason: str = "") -> None:
    """Record that the program's KPI summaries are out of date (a value was entered, imported
    or computed from data that changed), so dashboards say so until the refresh has run.

    Call it in the transaction of the write that made them stale."""
    now = timezone.now()
    updated = KpiRefresh.objects.filter(stale_since__isnull=True).update(stale_since=now)
    if not updated and not KpiRefresh.objects.exists():
        KpiRefresh.objects.get_or_create(program=program, defaults={"stale_since": now})
