"""A subject viewset with the evidence actions, mounted beside the real URLs for
tests/evidence/test_api.py (swapped in as ROOT_URLCONF): the test kind's records (a person's
place in a practice), as a CPD activities viewset will mount its activities."""

from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from practices.models import PracticeMembership
from psp.api.urls import PROGRAM_PREFIX
from psp.api.viewsets import ProgramScopedViewSet
from psp.evidence.api import EvidenceActions
from psp.tenancy.permissions import Capability
from psp.urls import urlpatterns as real_urlpatterns
from tests.evidence.subjects import CODE


class RecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = PracticeMembership
        fields = ["id", "practice", "user", "role"]
        read_only_fields = fields


class RecordViewSet(EvidenceActions, ProgramScopedViewSet):
    evidence_subject_type = CODE
    queryset = PracticeMembership.objects.none()
    serializer_class = RecordSerializer
    http_method_names = ["get", "post", "head", "options"]
    read_capability = Capability.PRACTICE_VIEW
    write_capability = Capability.PRACTICE_VIEW
    action_capabilities = {"evidence": (Capability.CPD_RECORD, Capability.CPD_VIEW)}

    def scoped_queryset(self):
        access = self.request.access
        reach = access.practice_filter(Capability.PRACTICE_VIEW, "practice_id")
        return PracticeMembership.objects.filter(reach)


router = SimpleRouter()
router.register("api/v1/" + PROGRAM_PREFIX + "test-records", RecordViewSet, basename="test-record")
urlpatterns = [*router.urls, *real_urlpatterns]
