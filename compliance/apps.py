"""Compliance checklists: templates, recurring instances, items, evidence."""

from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "compliance"
    label = "compliance"
    verbose_name = "Compliance"

    def ready(self):
        from compliance.schedules import triggers
        from compliance.schedules.services import schedule_instances
        from practices import derived
        from practices.models import Practice
        from psp.periodic import register_periodic

        # A practice enrolled, moved to a stage or to a sector gets its checklists at once.
        derived.subscribe(triggers.schedule_after_practice_write, sources=(Practice,))
        # The embedded mode's cron command makes the checklists that are due (beat does it in
        # the full mode).
        register_periodic("checklists made", schedule_instances)
