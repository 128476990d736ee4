"""Recompute the stored feedback summary from the invitations and answers: of one program
(--program SLUG) or of every program. For after writes that went around the models (raw SQL,
loaddata); the nightly job does the same."""

from coaching.feedback.summary import feedback_rebuild
from psp.tenancy.commands import ProgramRebuildCommand


class Command(ProgramRebuildCommand):
    help = "Recompute the feedback results summary from the invitations and answers."

    def rebuild(self, program) -> int:
        return feedback_rebuild(program=program)
