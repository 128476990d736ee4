"""API of reports: ask for one (202: it is made in the background), follow its state and
progress, download its PDF; and the caller's subscriptions.

A report is its requester's alone: the caller lists and reads only their own, and anyone
else's id answers 404, as another program's does."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from psp.api.viewsets import ProgramScopedViewSet
from psp.reports import registry, selectors, services
from psp.reports.downloads import file_exists, pdf_response
from psp.reports.models import Frequency, Report, ReportState, ReportSubscription


def _reporting(self) -> tuple:
    """Any registered document's capability (read when asked: apps register their documents
    at start-up, after this module may have been imported)."""
    return selectors.report_capabilities()


REPORTING = property(_reporting)
PROGRAM_PARAMETER = OpenApiParameter(
    "program", str, OpenApiParameter.PATH, description="The program's slug."
)


def _title(code: str) -> str:
    try:
        return registry.document(code).title
    except KeyError:
        return code


class ReportSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField(help_text="The document's title.")
    status = serializers.SerializerMethodField(
        help_text='The state as a person reads it: "Queued", "Running: 40 %", "Done, 3 pages", '
        '"Failed: <reason>".'
    )
    url = serializers.SerializerMethodField(help_text="This report in the API.")
    download_url = serializers.SerializerMethodField(
        help_text="The PDF, once the report is done (null before, and after it expired)."
    )

    class Meta:
        model = Report
        fields = [
            "id",
            "document",
            "title",
            "description",
            "params",
            "state",
            "progress",
            "status",
            "error",
            "pages",
            "file_size",
            "subscription",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "url",
            "download_url",
        ]
        read_only_fields = fields

    def get_title(self, report) -> str:
        return _title(report.document)

    def get_status(self, report) -> str:
        return selectors.status_text(report)

    def _link(self, name: str, report) -> str:
        path = reverse(name, kwargs={"program": report.program_slug(), "pk": report.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_url(self, report) -> str:
        return self._link("report-detail", report)

    def get_download_url(self, report) -> str | None:
        if report.state != ReportState.DONE:
            return None
        return self._link("report-download", report)


class ReportRequestSerializer(serializers.Serializer):
    document = serializers.CharField(
        max_length=50,
        help_text='The document\'s code: "practice_card", "program_report", "cpd_transcript", '
        '"cpd_certificate".',
    )
    params = serializers.DictField(
        required=False,
        default=dict,
        help_text="The document's parameters, as its page's query string names them "
        '(e.g. {"practice": 12} for a practice\'s report card, {"cycle": 7} for a CPD '
        "cycle's transcript or certificate; a certificate needs the cycle's requirements met).",
    )


def _checked_params(document_code: str, params: dict, access) -> tuple[str, dict]:
    document = services.document_or_error(document_code)
    return document.code, services.params_from_data(document, params, access=access)


@extend_schema(parameters=[PROGRAM_PARAMETER], tags=["reports"])
@extend_schema_view(
    list=extend_schema(summary="Your reports in this program, newest first"),
    retrieve=extend_schema(summary="One of your reports: its state, progress and download"),
    create=extend_schema(
        summary="Ask for a report",
        description="Answers at once (202) with the report, queued; the worker makes it. Follow "
        "`url` for its progress; `download_url` is set once it is done. The same request again "
        "within a few seconds answers with the same report.",
        request=ReportRequestSerializer,
        responses={status.HTTP_202_ACCEPTED: ReportSerializer},
    ),
    download=extend_schema(
        summary="Download a report's PDF",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
            410: OpenApiResponse(description="The report's file has expired."),
        },
    ),
)
class ReportViewSet(ProgramScopedViewSet):
    queryset = Report.objects.none()  # for schema introspection only
    read_capability = REPORTING
    write_capability = REPORTING
    http_method_names = ["get", "post", "head", "options"]
    ordering_fields = ["created_at"]

    def get_serializer_class(self):
        return ReportRequestSerializer if self.action == "create" else ReportSerializer

    def scoped_queryset(self):
        return selectors.my_reports(user=self.request.user)

    def create_object(self, serializer):
        document, params = _checked_params(
            serializer.validated_data["document"],
            serializer.validated_data["params"],
            self.request.access,
        )
        return services.report_request(
            program=self.request.program,
            access=self.request.access,
            document_code=document,
            params=params,
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        data = ReportSerializer(serializer.instance, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})

    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def download(self, request, *args, **kwargs):
        report = self.get_object()
        try:
            document = registry.document(report.document)
        except KeyError:
            raise exceptions.NotFound() from None
        if not services.may_request(access=request.access, document=document, params=report.params):
            raise exceptions.NotFound()
        gone = Response(
            {"detail": "This report's file has expired; ask for a new one."},
            status=status.HTTP_410_GONE,
        )
        if report.state == ReportState.EXPIRED:
            return gone
        if report.state != ReportState.DONE or not report.file:
            raise exceptions.NotFound("This report is not ready.")
        if not file_exists(report):
            return gone
        return pdf_response(report)


class ReportSubscriptionSerializer(serializers.ModelSerializer):
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    params = serializers.DictField(required=False, default=dict)

    class Meta:
        model = ReportSubscription
        fields = [
            "id",
            "document",
            "params",
            "description",
            "frequency",
            "next_run_on",
            "active",
            "created_at",
        ]
        read_only_fields = ["id", "description", "next_run_on", "active", "created_at"]


@extend_schema(parameters=[PROGRAM_PARAMETER], tags=["reports"])
@extend_schema_view(
    list=extend_schema(summary="Your report subscriptions in this program"),
    retrieve=extend_schema(summary="One of your report subscriptions"),
    create=extend_schema(
        summary="Subscribe to a report",
        description="The report is made every month or quarter for the period just ended, "
        "with these parameters, and you are notified with its link.",
    ),
    destroy=extend_schema(summary="Cancel a subscription"),
)
class ReportSubscriptionViewSet(ProgramScopedViewSet):
    queryset = ReportSubscription.objects.none()  # for schema introspection only
    serializer_class = ReportSubscriptionSerializer
    read_capability = REPORTING
    write_capability = REPORTING
    http_method_names = ["get", "post", "delete", "head", "options"]
    ordering_fields = ["created_at"]

    def scoped_queryset(self):
        return selectors.my_subscriptions(user=self.request.user)

    def create_object(self, serializer):
        data = serializer.validated_data
        document, params = _checked_params(data["document"], data["params"], self.request.access)
        return services.subscription_create(
            program=self.request.program,
            access=self.request.access,
            document_code=document,
            params=params,
            frequency=data["frequency"],
        )

    def destroy_object(self, instance):
        services.subscription_cancel(
            program=self.request.program, access=self.request.access, subscription=instance
        )


routes = [
    ("reports", ReportViewSet, "report"),
    ("report-subscriptions", ReportSubscriptionViewSet, "report-subscription"),
]
