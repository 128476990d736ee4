"""Programs, program roles and the machinery that scopes every query to one program."""

from django.apps import AppConfig
from django.core import checks


class TenancyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "psp.tenancy"
    label = "tenancy"
    verbose_name = "Tenancy"

    def ready(self):
        from psp.tenancy.checks import check_program_ownership

        checks.register(check_program_ownership, checks.Tags.models)
