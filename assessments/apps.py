"""Needs-assessment instruments, completed assessments and their scores."""

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    label = "assessments"
    verbose_name = "Assessments"
