"""Pages of kpis/dashboard: the program dashboard and its CSV downloads."""

from django.urls import path

from kpis.dashboard import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/<slug:table>.csv", views.DashboardCsvView.as_view(), name="dashboard_csv"),
]
