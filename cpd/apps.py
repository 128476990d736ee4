"""Continuing professional development: schemes, activities, evidence, transcripts."""

from django.apps import AppConfig


class CpdConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cpd"
    label = "cpd"
    verbose_name = "CPD"
