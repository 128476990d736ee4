"""CPD claims from QI work under /p/<program>/cpd/claims/ (namespace `cpd_claims`)."""

from django.urls import path

from cpd.claims import views

app_name = "cpd_claims"

urlpatterns = [
    path("draft/", views.ClaimDraftView.as_view(), name="draft"),
]
