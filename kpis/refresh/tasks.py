"""Background work of the KPI refresh: one program's refresh (queued through the outbox after
writes, or by the nightly fan-out), and the nightly fan-out itself (psp/settings.py beat).
Registered under `kpis.tasks` (kpis/tasks.py imports them for Celery's autodiscovery)."""

from celery import shared_task

from psp.tenancy.models import Program
from psp.tenancy.tasks import program_task


@program_task(name="kpis.tasks.refresh_kpis")
def refresh_kpis(*, program_id: int, months: int | None = None, reason: str = "") -> dict:
    """Safe to run twice: a refresh recomputes the same figures and writes only what changed."""
    from kpis.refresh.services import kpis_refresh

    program = Program.objects.get(pk=program_id)
    return kpis_refresh(program=program, months=months)


@shared_task(name="kpis.tasks.refresh_all_kpis")
def refresh_all_kpis() -> int:
    """Nightly (beat): a full rebuild of every active program's KPI figures, one task each."""
    program_ids = list(Program.objects.filter(is_active=True).values_list("pk", flat=True))
    for program_id in program_ids:
        refresh_kpis.apply_async(kwargs={"program_id": program_id, "reason": "nightly"})
    return len(program_ids)
