"""Pages of kpis/practice: a practice's KPI dashboard, /p/<program>/kpis/practices/<id>/."""

from django.urls import path

from kpis.practice import views

urlpatterns = [
    path("practices/<int:practice_pk>/", views.PracticeKpiView.as_view(), name="practice"),
]
