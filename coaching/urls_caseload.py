"""Caseload pages under /p/<program>/caseload/: a coach's own caseload, the program overview
with coach workload, the caseload rules, and the dose across practices with its CSV."""

from django.urls import path

from coaching import views_caseload

app_name = "caseload"

urlpatterns = [
    path("", views_caseload.CaseloadMineView.as_view(), name="mine"),
    path("all/", views_caseload.CaseloadOverviewView.as_view(), name="overview"),
    path("rules/", views_caseload.CaseloadRulesView.as_view(), name="rules"),
    path("dose/", views_caseload.DoseView.as_view(), name="dose"),
    path("dose.csv", views_caseload.DoseCsvView.as_view(), name="dose_csv"),
]
