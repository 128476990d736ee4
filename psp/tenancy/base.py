"""The abstract base every tenant-owned model inherits."""

from django.core.exceptions import ValidationError
from django.db import models

from psp.tenancy.managers import AllProgramsManager, ProgramScopedManager
from psp.tenancy.scope import (
    current_program_id,
    current_program_id_or_none,
    current_program_slug_or_none,
)


class ProgramOwned(models.Model):
    """A row that belongs to exactly one program.

    `objects` filters to the program in scope and raises outside one; `all_programs` is the
    loudly named way around it. A new row takes its program from the scope, and a row can never
    be saved into a program other than the one in scope.
    """

    program = models.ForeignKey(
        "tenancy.Program", on_delete=models.CASCADE, related_name="+", db_index=True
    )

    objects = ProgramScopedManager()
    all_programs = AllProgramsManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        scoped = current_program_id_or_none()
        if self.program_id is None:
            self.program_id = current_program_id()
        elif scoped is not None and scoped != self.program_id:
            raise ValidationError("This record belongs to another program.")
        super().save(*args, **kwargs)

    def program_slug(self) -> str:
        """The slug for links to this row's pages. Inside the row's own program's scope (every
        request, most commands) it comes from the scope, so lists need not read `program` for
        each row; elsewhere (the Django admin, a task entered by id) from the row's program."""
        if self.program_id == current_program_id_or_none():
            slug = current_program_slug_or_none()
            if slug is not None:
                return slug
        return self.program.slug


def ensure_in_program(program, *objects) -> None:
    """Refuse, as a validation error (never a 500 or a cross-program write), any object that
    belongs to a program other than `program`. `None` (an optional reference) is skipped."""
    for obj in objects:
        if obj is not None and obj.program_id != program.pk:
            raise ValidationError(f"This {obj._meta.verbose_name} belongs to another program.")
