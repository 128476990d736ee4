"""Compliance checklists: templates, recurring instances, items, evidence."""

from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "compliance"
    label = "compliance"
    verbose_name = "Compliance"
