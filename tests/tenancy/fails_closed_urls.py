"""Views that declare no permission of their own, mounted next to the real URLs for
tests/tenancy/test_fails_closed.py (swapped in as ROOT_URLCONF). Never include them anywhere
else."""

from django.urls import path
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from practices.models import Practice
from psp.api.viewsets import ProgramScopedViewSet
from psp.urls import urlpatterns as real_urlpatterns


class PlainProgramView(APIView):
    """Forgets everything: no permission, no scope check."""

    def get(self, request, program):
        return Response({"practices": Practice.all_programs.count()})


class PlainProgramViewSet(viewsets.ViewSet):
    def list(self, request, program):
        return Response({"practices": Practice.all_programs.count()})


class ListOverrideViewSet(ProgramScopedViewSet):
    """Overrides `list`, which is not sealed: admission still comes from the base."""

    read_capability = None

    def scoped_queryset(self):
        return Practice.objects.all()

    def list(self, request, *args, **kwargs):
        return Response({"practices": Practice.all_programs.count()})


class PlainOutsideView(APIView):
    def get(self, request):
        return Response({"ok": True})


PREFIX = "api/v1/programs/<slug:program>/"
urlpatterns = [
    path(PREFIX + "plain/", PlainProgramView.as_view()),
    path(PREFIX + "plain-viewset/", PlainProgramViewSet.as_view({"get": "list"})),
    path(PREFIX + "list-override/", ListOverrideViewSet.as_view({"get": "list"})),
    path("api/v1/plain-outside/", PlainOutsideView.as_view()),
    *real_urlpatterns,
]
