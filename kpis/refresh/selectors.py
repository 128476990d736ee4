"""How current a program's KPI figures are, for the dashboards' "Figures as of … · updating"."""

from dataclasses import dataclass
from datetime import datetime

from kpis.models import KpiRefresh


@dataclass(frozen=True)
class Freshness:
    refreshed_at: datetime | None  # when the figures were last made; None: never
    is_current: bool  # False while a write is waiting for its refresh ("updating")
    stale_since: datetime | None = None


def freshness(program) -> Freshness:
    """One query."""
    row = KpiRefresh.objects.filter(program=program).first()
    if row is None:
        return Freshness(refreshed_at=None, is_current=False)
    return Freshness(
        refreshed_at=row.refreshed_at, is_current=row.is_current, stale_since=row.stale_since
    )
