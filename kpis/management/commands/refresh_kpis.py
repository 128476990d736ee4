"""Bring KPI values and summaries up to date now: for cron in the embedded mode (no beat
there), after an import, or to rebuild a program's history.

    python manage.py refresh_kpis                          # every active program, 25 months
    python manage.py refresh_kpis --program north --months 3

In the full mode beat runs the same rebuild nightly (kpis.tasks.refresh_all_kpis). Running it
twice writes nothing the second time."""

from django.core.management.base import BaseCommand, CommandError

from kpis.refresh.services import kpis_refresh
from psp.tenancy.models import Program
from psp.tenancy.scope import program_scope


class Command(BaseCommand):
    help = "Recompute computed KPI values, summaries and peer percentiles now."

    def add_arguments(self, parser):
        parser.add_argument("--program", metavar="SLUG", help="Only this program.")
        parser.add_argument(
            "--months",
            type=int,
            metavar="N",
            help="Only the current month and the N-1 before it (default: 25 months).",
        )

    def handle(self, *args, program=None, months=None, **options):
        if months is not None and months < 1:
            raise CommandError("--months must be 1 or more.")
        programs = Program.objects.filter(is_active=True).order_by("slug")
        if program:
            programs = programs.filter(slug=program)
            if not programs.exists():
                raise CommandError(f"No active program with the slug {program!r}.")
        for row in programs:
            with program_scope(row):
                counts = kpis_refresh(program=row, months=months)
            self.stdout.write(
                f"{row.slug}: {counts['definitions']} KPIs, {counts['written']} values written, "
                f"{counts['removed']} removed, {counts['summaries']} summaries, "
                f"{counts['ranked']} percentiles changed in {counts['duration_ms']} ms"
            )
