"""Caseload pages under /p/<program>/caseload/: a coach's own caseload, the program overview
with coach workload, the caseload rules, and the dose across practices with its CSV."""

from django.urls import path

from coaching.caseload import views

app_name = "caseload"

urlpatterns = [
    path("", views.CaseloadMineView.as_view(), name="mine"),
    path("all/", views.CaseloadOverviewView.as_view(), name="overview"),
    path("rules/", views.CaseloadRulesView.as_view(), name="rules"),
    path("dose/", views.DoseView.as_view(), name="dose"),
    path("dose.csv", views.DoseCsvView.as_view(), name="dose_csv"),
]
