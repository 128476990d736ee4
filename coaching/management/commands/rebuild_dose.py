"""Recompute the stored dose summary from the logged visits: of one program (--program SLUG) or
of every program. For after writes that went around the models (raw SQL, loaddata), or after
the summary's first migration on a large installation; the nightly job does the same."""

from django.core.management.base import BaseCommand, CommandError

from coaching.dose.summary import dose_rebuild
from psp.tenancy.models import Program
from psp.tenancy.scope import program_scope


class Command(BaseCommand):
    help = "Recompute the dose of support summary from the logged visits."

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
                rows = dose_rebuild(program=each)
            self.stdout.write(f"{each.slug}: {rows} summary rows")
