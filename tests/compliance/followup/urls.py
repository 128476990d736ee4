"""The site's URLs plus the one checklist page the follow-up pages link to
(`compliance:checklist`), for a checkout where the checklist pages (compliance/urls.py) are not
there yet: conftest.py uses it only then."""

from django.http import HttpResponse
from django.urls import include, path

from psp import urls as site


def _checklist(request, program, pk):
    return HttpResponse(f"Checklist {pk}")


checklist_pages = ([path("checklists/<int:pk>/", _checklist, name="checklist")], "compliance")

urlpatterns = [
    path("p/<slug:program>/compliance/", include(checklist_pages)),
    *site.urlpatterns,
]
handler404 = site.handler404
