"""Support plans, facilitation visits, participant feedback and caseloads."""

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "coaching"
    label = "coaching"
    verbose_name = "Coaching"

    def ready(self):
        from coaching.caseload import standings
        from coaching.dose.summary import dose_on_write
        from coaching.feedback.models import FeedbackInvite, FeedbackResponse
        from coaching.feedback.summary import feedback_on_write
        from coaching.visits.models import Visit, VisitActivity
        from practices import derived

        # Every write to what the caseload rules read stamps the standings it changes.
        derived.subscribe(standings.stamp)
        # Every write to visits and their activities recomputes the practice's dose summary.
        derived.subscribe(dose_on_write, sources=(Visit, VisitActivity))
        # Every write to visits, feedback invitations and answers recomputes the feedback summary.
        derived.subscribe(feedback_on_write, sources=(Visit, FeedbackInvite, FeedbackResponse))
