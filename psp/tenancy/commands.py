"""A management command that recomputes a program's derived data: of one program (--program
SLUG) or of every program, each in its own scope (`manage.py rebuild_dose`, `rebuild_feedback`)."""

from django.core.management.base import BaseCommand, CommandError

from psp.tenancy.models import Program
from psp.tenancy.scope import program_scope


class ProgramRebuildCommand(BaseCommand):
    """Subclasses set `help` and `rebuild(program) -> rows written`."""

    def rebuild(self, program) -> int:
        raise NotImplementedError

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
                rows = self.rebuild(each)
            self.stdout.write(f"{each.slug}: {rows} summary rows")
