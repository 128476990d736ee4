"""REST endpoints for a person's own notifications, under /api/v1/programs/<program>/:

    GET        notifications/                  yours, newest first (`?unread=true`: unread only)
    GET        notifications/{id}/             one of yours
    POST       notifications/{id}/read/        mark it read
    POST       notifications/read-all/         mark every one read
    GET        notification-preferences/       each kind with how it reaches you
    PUT/PATCH  notification-preferences/       choose: PUT sets every kind (those not named
                                               go back to their default), PATCH those named

Everyone with a role in the program may (notifications.own); nobody reads another person's
notifications: theirs answer 404, as one that does not exist.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from psp.api.pagination import KeysetCursorPagination
from psp.api.viewsets import ProgramReportViewSet, ProgramScopedViewSet
from psp.notifications import selectors, services
from psp.notifications.filters import NotificationFilter
from psp.notifications.models import DELIVERY_CHOICES, Notification
from psp.tenancy.permissions import Capability

OWN = Capability.NOTIFICATIONS_OWN
PROGRAM_PARAMETER = OpenApiParameter(
    "program", str, OpenApiParameter.PATH, description="The program's slug."
)


class NotificationSerializer(serializers.ModelSerializer):
    practice_name = serializers.CharField(
        source="practice.name", read_only=True, allow_null=True, default=None
    )
    is_unread = serializers.BooleanField(read_only=True)
    url = serializers.CharField(read_only=True, help_text="The subject's page, a path.")

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "url",
            "practice",
            "practice_name",
            "created_at",
            "read_at",
            "is_unread",
            "delivery",
            "emailed_at",
        ]
        read_only_fields = fields


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many were unread.")


@extend_schema(parameters=[PROGRAM_PARAMETER], tags=["notifications"])
@extend_schema_view(
    list=extend_schema(summary="Your notifications", description="Newest first."),
    retrieve=extend_schema(summary="One of your notifications"),
)
class NotificationViewSet(ProgramScopedViewSet):
    queryset = Notification.objects.none()  # for schema introspection only
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    read_capability = OWN
    write_capability = OWN
    http_method_names = ["get", "post", "head", "options"]
    pagination_class = KeysetCursorPagination
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-pk"]

    def scoped_queryset(self):
        # The caller's own only: another person's notification is "not found".
        return selectors.notifications_of(user=self.request.user)

    @extend_schema(exclude=True)
    def create(self, request, *args, **kwargs):
        # Notifications are made by the reminders and by events, never posted.
        raise exceptions.MethodNotAllowed(request.method)

    @extend_schema(request=None, responses=NotificationSerializer, summary="Mark it read")
    @action(detail=True, methods=["post"], filter_backends=[])
    def read(self, request, *args, **kwargs):
        notification = self.get_object()
        services.notification_mark_read(
            program=request.program, user=request.user, notification_id=notification.pk
        )
        fresh = self.scoped_queryset().get(pk=notification.pk)
        return Response(NotificationSerializer(fresh).data)

    @extend_schema(request=None, responses=ReadAllSerializer, summary="Mark every one read")
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[])
    def read_all(self, request, *args, **kwargs):
        marked = services.notifications_mark_all_read(program=request.program, user=request.user)
        return Response({"marked": marked})


# Preferences ------------------------------------------------------------------------------


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField(source="kind.code", read_only=True)
    label = serializers.CharField(source="kind.label", read_only=True)
    description = serializers.CharField(source="kind.description", read_only=True)
    delivery = serializers.ChoiceField(
        choices=DELIVERY_CHOICES,
        read_only=True,
        help_text="immediate: an email at once; digest: in the daily digest email; app: in "
        "the app only. Every notification is in the app as well.",
    )
    default = serializers.ChoiceField(
        source="kind.default", choices=DELIVERY_CHOICES, read_only=True
    )
    is_default = serializers.BooleanField(read_only=True)


class PreferenceChoiceSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=60, help_text="A kind's code, as listed.")
    delivery = serializers.ChoiceField(choices=DELIVERY_CHOICES)


class NotificationPreferenceViewSet(ProgramReportViewSet):
    """How each kind of notification reaches the caller (kinds sent by email only are not
    listed: there is nothing to choose)."""

    read_capability = OWN
    write_capability = OWN

    @extend_schema(
        parameters=[PROGRAM_PARAMETER],
        responses=PreferenceSerializer(many=True),
        summary="Your notification settings",
        tags=["notifications"],
    )
    def read(self, request, *args, **kwargs):
        return Response(self._current(request))

    @extend_schema(
        parameters=[PROGRAM_PARAMETER],
        request=PreferenceChoiceSerializer(many=True),
        responses=PreferenceSerializer(many=True),
        summary="Set every notification setting",
        description="Kinds not named go back to their default.",
        tags=["notifications"],
    )
    def replace(self, request, *args, **kwargs):
        choices = {kind.code: kind.default.value for kind in selectors.choosable_kinds()}
        return self._save(request, base=choices)

    @extend_schema(
        parameters=[PROGRAM_PARAMETER],
        request=PreferenceChoiceSerializer(many=True),
        responses=PreferenceSerializer(many=True),
        summary="Change some notification settings",
        tags=["notifications"],
    )
    def amend(self, request, *args, **kwargs):
        return self._save(request, base={})

    def _save(self, request, *, base: dict):
        body = PreferenceChoiceSerializer(data=request.data, many=True)
        body.is_valid(raise_exception=True)
        named = {item["kind"]: item["delivery"] for item in body.validated_data}
        services.notification_preferences_set(
            program=request.program, user=request.user, choices=base | named
        )
        return Response(self._current(request))

    def _current(self, request):
        choices = selectors.preferences_of(user=request.user)
        return PreferenceSerializer(choices, many=True).data


routes = [
    ("notifications", NotificationViewSet, "notification"),
    ("notification-preferences", NotificationPreferenceViewSet, "notification-preferences"),
]
