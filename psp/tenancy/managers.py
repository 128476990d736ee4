"""Managers for tenant-owned models: one that scopes to the program in scope, one that does not."""

from django.db import models

from psp.tenancy.scope import current_program_id


class ProgramScopedQuerySet(models.QuerySet):
    pass


class ProgramScopedManager(models.Manager.from_queryset(ProgramScopedQuerySet)):
    """The default manager: every query is filtered to the program in scope, or raises."""

    def get_queryset(self):
        return super().get_queryset().filter(program_id=current_program_id())

    def none(self):
        # An empty queryset can leak nothing, so it needs no scope. Tools that introspect models
        # outside any request (drf-spectacular's filter and field introspection) ask for it.
        return super().get_queryset().none()


class AllProgramsManager(models.Manager):
    """Deliberately crosses programs. Only for platform operators, migrations of data and
    lookups that identify the program themselves (API tokens, invitation links)."""
