"""Practices, their people, coach assignments and enrolment stage history."""

from django.apps import AppConfig


class PracticesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "practices"
    label = "practices"
    verbose_name = "Practices"

    def ready(self):
        from django.core import checks

        from practices.checks import check_sources

        checks.register(check_sources, checks.Tags.models)
