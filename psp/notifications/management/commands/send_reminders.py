"""Send reminders now, once, after the apps' other periodic work: for cron in the embedded mode
(no beat there).

    python manage.py send_reminders                  # every active program
    python manage.py send_reminders --program north  # one program

For each program: run the periodic jobs the apps registered (psp/periodic.py; the compliance
checklists whose period has begun are made), ask every rule what is due, record the new
notifications, write their emails and the digests that are due (psp/notifications/services),
then relay the outbox so they go out before the command ends. In the full mode beat does the
same every 15 minutes (psp.notifications.tasks.scan_all_programs) and runs the periodic jobs on
their own schedules. Running it twice sends nothing twice and makes nothing twice."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from psp.notifications.services import RuleFailed, reminders_run
from psp.outbox.relay import relay_due
from psp.periodic import periodic_jobs
from psp.tenancy.models import Program
from psp.tenancy.scope import program_scope


class Command(BaseCommand):
    help = (
        "Make what is due (the compliance checklists whose period has begun), then record and "
        "send the reminders that are due, once, in every active program."
    )

    def add_arguments(self, parser):
        parser.add_argument("--program", metavar="SLUG", help="Only this program.")

    def handle(self, *args, program=None, **options):
        # Without a broker, tasks run in this process: inline, not in background threads this
        # short-lived command would not wait for (the web process keeps its threads).
        settings.PSP_TASKS_IN_THREAD = False
        programs = Program.objects.filter(is_active=True).order_by("slug")
        if program:
            programs = programs.filter(slug=program)
            if not programs.exists():
                raise CommandError(f"No active program with the slug {program!r}.")
        failed = []
        for row in programs:
            with program_scope(row):
                for job in periodic_jobs():
                    made = job.run(program=row)
                    self.stdout.write(f"{row.slug}: {job.label}: {made}")
                try:
                    found, digests = reminders_run(program=row)
                except RuleFailed as error:
                    failed.append(row.slug)
                    self.stderr.write(f"{row.slug}: {error}")
                    continue
            self.stdout.write(
                f"{row.slug}: {found} new notification{'' if found == 1 else 's'}, "
                f"{digests} digest{'' if digests == 1 else 's'} to send"
            )
        sent = relay_due()
        self.stdout.write(f"Relayed {sent} waiting task{'' if sent == 1 else 's'} from the outbox.")
        if failed:
            raise CommandError(f"Some reminder rules failed in: {', '.join(failed)}.")
