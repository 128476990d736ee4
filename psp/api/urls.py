"""The one API router: every app's program-scoped endpoints under /api/v1/programs/<program>/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from assessments.instruments import api as instruments_api
from assessments.rounds import api as rounds_api
from coaching.actions import api as actions_api
from coaching.caseload import api as caseload_api
from coaching.feedback import api as feedback_api
from coaching.pdsa import api as pdsa_api
from coaching.plans import api as plans_api
from coaching.visits import api as visits_api
from compliance.checklists import api as checklist_templates_api
from compliance.followup import api as compliance_followup_api
from compliance.instances import api as checklists_api
from compliance.schedules import api as checklist_assignments_api
from cpd.activities import api as cpd_activities_api
from cpd.claims import api as cpd_claims_api
from cpd.progress import api as cpd_progress_api
from cpd.schemes import api as cpd_schemes_api
from kpis.dashboard import api as kpi_dashboard_api
from kpis.definitions import api as kpi_definitions_api
from kpis.practice import api as kpi_practice_api
from kpis.values import api as kpi_values_api
from practices import api as practices_api
from psp.accounts import api as accounts_api
from psp.api.docs import ApiDocsView
from psp.evidence import api as evidence_api
from psp.notifications import api as notifications_api
from psp.reports import api as reports_api
from psp.tenancy import api as tenancy_api

PROGRAM_PREFIX = r"programs/(?P<program>[-a-zA-Z0-9_]+)/"

router = SimpleRouter()
API_MODULES = (
    practices_api,
    accounts_api,
    instruments_api,
    rounds_api,
    plans_api,
    pdsa_api,
    actions_api,
    visits_api,
    caseload_api,
    feedback_api,
    tenancy_api,
    notifications_api,
    reports_api,
    evidence_api,
    kpi_definitions_api,
    kpi_values_api,
    kpi_dashboard_api,
    kpi_practice_api,
    cpd_activities_api,
    cpd_claims_api,
    cpd_schemes_api,
    cpd_progress_api,
    checklists_api,
    checklist_templates_api,
    checklist_assignments_api,
    compliance_followup_api,
)
for module in API_MODULES:
    for prefix, viewset, basename in module.routes:
        router.register(PROGRAM_PREFIX + prefix, viewset, basename=basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The reference, rendered on the server from the same schema (psp/api/reference.py).
    path("docs/", ApiDocsView.as_view(), name="api-docs"),
    *router.urls,
]
