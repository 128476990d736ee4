"""Recompute the stored dose summary from the logged visits: of one program (--program SLUG) or
of every program. For after writes that went around the models (raw SQL, loaddata), or after
the summary's first migration on a large installation; the nightly job does the same."""

from coaching.dose.summary import dose_rebuild
from psp.tenancy.commands import ProgramRebuildCommand


class Command(ProgramRebuildCommand):
    help = "Recompute the dose of support summary from the logged visits."

    def rebuild(self, program) -> int:
        return dose_rebuild(program=program)
