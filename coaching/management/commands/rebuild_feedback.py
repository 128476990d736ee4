"""Recompute the stored feedback summary from the invitations and answers: of one program
(--program SLUG) or of every program. For after writes that went around the models (raw SQL,
loaddata); the nightly job does the same."""

from django.core.management.base import BaseCommand, CommandError

from coaching.feedback.summary import feedback_rebuild
from psp.tenancy.models import Program
from psp.tenancy.scope import program_scope


class Command(BaseCommand):
    help = "Recompute the feedback results summary from the invitations and answers."

    def add_arguments(self, parser):
        parser.add_argument("--program", metavar="SLUG", help="Only this program.")

    def handle(self, *args, program=None, **options):
        programs = Program.objects.order_by("slug")
        if program:
            programs = programs.filter(slug=program)
            if not programs.exists():
                raise CommandError(f"No program with the slug {program!r}.")
        for each in programs:
            with program_scope(each):
                rows = feedback_rebuild(program=each)
            self.stdout.write(f"{each.slug}: {rows} summary rows")
