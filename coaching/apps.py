"""Support plans, facilitation visits, participant feedback and caseloads."""

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "coaching"
    label = "coaching"
    verbose_name = "Coaching"

    def ready(self):
        from coaching.caseload import standings
        from practices import derived

        # Every write to what the caseload rules read stamps the standings it changes.
        derived.subscribe(standings.stamp)
