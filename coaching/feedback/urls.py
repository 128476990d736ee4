"""Participant feedback pages under /p/<program>/feedback/: the results, and one invitation's
feedback form (`pk`, the view's model: a FeedbackInvite)."""

from django.urls import path

from coaching.feedback import views

app_name = "feedback"

urlpatterns = [
    path("results/", views.FeedbackResultsView.as_view(), name="results"),
    path("<int:pk>/", views.FeedbackGiveView.as_view(), name="give"),
]
