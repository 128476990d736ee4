"""Deliberately leaky views, for proving that the isolation walk catches leaks
(tests/tenancy/test_isolation_walk.py swaps them in as ROOT_URLCONF). Never include them anywhere
else."""

from django.http import HttpResponse
from django.urls import path
from django.views import View

from practices.models import Practice, StageChange


class LeakyPracticeView(View):
    """Reads and renames any practice, in any program."""

    model = Practice

    def get(self, request, program, pk):
        return HttpResponse(Practice.all_programs.get(pk=pk).name)

    def post(self, request, program, pk):
        Practice.all_programs.filter(pk=pk).update(name="Hijacked")
        return HttpResponse("Renamed")


class LeakyListView(View):
    """Lists every program's practices; records a stage change against any program's practice."""

    def get(self, request, program):
        return HttpResponse(", ".join(Practice.all_programs.values_list("name", flat=True)))

    def post(self, request, program):
        practice = Practice.all_programs.filter(pk=request.POST.get("practice")).first()
        if practice is not None:
            StageChange.objects.create(practice=practice, to_stage="pilot")
        return HttpResponse("Recorded")


class OddView(View):
    def get(self, request, program, thing):
        return HttpResponse("")


urlpatterns = [
    path("p/<slug:program>/leaky/", LeakyListView.as_view(), name="leaky_list"),
    path("p/<slug:program>/leaky/<int:pk>/", LeakyPracticeView.as_view(), name="leaky_detail"),
    path("p/<slug:program>/odd/<int:thing>/", OddView.as_view(), name="odd"),
]
