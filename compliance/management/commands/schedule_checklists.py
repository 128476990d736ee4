"""Make the compliance checklists whose period (or event) has begun, now.

    python manage.py schedule_checklists                  # every active program
    python manage.py schedule_checklists --program north  # one program

In the full mode beat does this every hour (compliance.tasks.schedule_all_checklists); in the
embedded mode `send_reminders` does it before each reminder run. Running it twice makes nothing
the second time."""

from django.core.management.base import BaseCommand, CommandError

from compliance.schedules.services import schedule_instances
from psp.tenancy.models import Program
from psp.tenancy.scope import program_scope


class Command(BaseCommand):
    help = "Make the compliance checklists whose period or event has begun, once."

    def add_arguments(self, parser):
        parser.add_argument("--program", metavar="SLUG", help="Only this program.")

    def handle(self, *args, program=None, **options):
        programs = Program.objects.filter(is_active=True).order_by("slug")
        if program:
            programs = programs.filter(slug=program)
            if not programs.exists():
                raise CommandError(f"No active program with the slug {program!r}.")
        for row in programs:
            with program_scope(row):
                made = schedule_instances(program=row)
            self.stdout.write(f"{row.slug}: {made} checklist{'' if made == 1 else 's'} made")
