"""Follow-up pages under /p/<program>/compliance/ (namespace `compliance_followup`, beside the
checklist pages' `compliance`): the program's overview and its CSV, the due list."""

from django.urls import path

from compliance.followup import views

app_name = "compliance_followup"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("status.csv", views.OverviewCsvView.as_view(), name="overview_csv"),
    path("due/", views.DueListView.as_view(), name="due"),
]
