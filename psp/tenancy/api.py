"""`GET`/`PATCH /api/v1/programs/<program>/settings/`: the program's own settings, for its
admins (the same service as the settings page)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from psp.api.viewsets import ProgramReportViewSet
from psp.tenancy.models import Program
from psp.tenancy.permissions import Capability
from psp.tenancy.services import SETTINGS_FIELDS, program_settings_update


class ProgramSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["slug", *SETTINGS_FIELDS]
        read_only_fields = ["slug"]
        extra_kwargs = {
            "time_zone": {"help_text": "An IANA time zone name, e.g. America/Toronto."},
            "digest_hour": {"help_text": "The hour (0–23, program time) daily digests go out."},
            "peer_group_minimum": {
                "help_text": "KPI peer comparisons and breakdowns over fewer practices than "
                "this (3 to 100) are not shown, so no single practice can be worked out."
            },
        }


class ProgramSettingsViewSet(ProgramReportViewSet):
    """The program's name, description, time zone, daily digest hour, date format, how long
    generated report files are kept, and the smallest peer group KPI comparisons show."""

    read_capability = Capability.PROGRAM_SETTINGS
    write_capability = Capability.PROGRAM_SETTINGS

    @extend_schema(responses=ProgramSettingsSerializer, summary="The program's settings")
    def read(self, request, *args, **kwargs):
        return Response(ProgramSettingsSerializer(request.program).data)

    @extend_schema(
        request=ProgramSettingsSerializer,
        responses=ProgramSettingsSerializer,
        summary="Change some of the program's settings",
    )
    def amend(self, request, *args, **kwargs):
        body = ProgramSettingsSerializer(request.program, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        program = program_settings_update(
            program=request.program, by=request.user, data=dict(body.validated_data)
        )
        return Response(ProgramSettingsSerializer(program).data)


routes = [("settings", ProgramSettingsViewSet, "program-settings")]
