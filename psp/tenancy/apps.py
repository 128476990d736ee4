"""Programs, program roles and the machinery that scopes every query to one program."""

from django.apps import AppConfig


class TenancyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "psp.tenancy"
    label = "tenancy"
    verbose_name = "Tenancy"
