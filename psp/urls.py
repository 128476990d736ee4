"""Top-level URLs. Stable: /accounts/login/, /p/<program>/, /api/v1/programs/<program>/...,
/api/v1/schema/, /api/v1/docs/, /healthz."""

from django.contrib import admin
from django.urls import include, path

from psp import views

program_patterns = [
    path("", include("practices.urls_home")),
    path("practices/", include("practices.urls")),
    path("instruments/", include("assessments.instruments.urls")),
    path("assessments/", include("assessments.rounds.urls")),
    path("plans/", include("coaching.plans.urls")),
    path("visits/", include("coaching.visits.urls")),
    path("caseload/", include("coaching.caseload.urls")),
    path("practices/<int:practice_pk>/", include("coaching.timeline.urls")),
    path("actions/", include("coaching.actions.urls")),
    path("feedback/", include("coaching.feedback.urls")),
    path("people/", include("psp.accounts.urls_people")),
    path("api-tokens/", include("psp.accounts.urls_tokens")),
    path("settings/", include("psp.tenancy.urls_settings")),
    path("tasks/", include("psp.outbox.urls")),
    path("notifications/", include("psp.notifications.urls")),
    path("reports/", include("psp.reports.urls")),
    path("evidence/", include("psp.evidence.urls")),
    path("kpis/", include("kpis.urls")),
    path("cpd/schemes/", include("cpd.schemes.urls")),
    path("cpd/claims/", include("cpd.claims.urls")),
    path("cpd/import/", include("cpd.imports.urls")),
    path("cpd/", include("cpd.activities.urls")),
    path("compliance/", include("compliance.urls")),
    path("compliance/", include("compliance.checklists.urls")),
    path("compliance/", include("compliance.followup.urls")),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the API docs, the admin).
    path("favicon.ico", views.favicon, name="favicon"),
    path("", views.home, name="home"),
    path("programs/", views.program_switcher, name="program_switcher"),
    path("accounts/", include("allauth.urls")),
    path("invitations/", include("psp.accounts.urls_invitations")),
    # The public check of a CPD transcript's or certificate's code (no sign-in).
    path("verify/", include("cpd.credentials.urls")),
    path("p/<slug:program>/", include(program_patterns)),
    path("api/v1/", include("psp.api.urls")),
    path("admin/", admin.site.urls),
]

# Under /api/ a path no route matches answers in the API's error format (psp/api/errors.py).
handler404 = "psp.api.errors.not_found"
