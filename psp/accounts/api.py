"""API for people: the program's members, its invitations and the caller's own API tokens.

`program` never comes from input (the scope gives it); a practice named in input is looked up
inside the program, so another program's practice id is one that does not exist."""

from django.apps import apps
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from psp.accounts import selectors, services
from psp.accounts.filters import InvitationFilter, MemberFilter
from psp.accounts.models import ApiToken, Invitation, PracticeRole
from psp.api.fields import ProgramObjectField
from psp.api.viewsets import ProgramScopedViewSet
from psp.tenancy.models import ProgramMembership, ProgramRole
from psp.tenancy.permissions import Capability

PROGRAM_PARAMETER = OpenApiParameter(
    "program", str, OpenApiParameter.PATH, description="The program's slug."
)


# Members ------------------------------------------------------------------------------------


class MemberPracticeSerializer(serializers.Serializer):
    practice = serializers.IntegerField(source="practice_id", read_only=True)
    practice_name = serializers.CharField(source="practice.name", read_only=True)
    role = serializers.ChoiceField(choices=PracticeRole.choices, read_only=True)


class MemberSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    practices = MemberPracticeSerializer(
        source="user.program_practice_memberships",
        many=True,
        read_only=True,
        help_text="For practice leads and staff: their practices in this program.",
    )

    class Meta:
        model = ProgramMembership
        fields = ["id", "user", "email", "full_name", "role", "is_active", "joined_at", "practices"]
        read_only_fields = fields


@extend_schema(parameters=[PROGRAM_PARAMETER], tags=["people"])
@extend_schema_view(
    list=extend_schema(summary="The program's members"),
    retrieve=extend_schema(summary="One member"),
)
class MemberViewSet(ProgramScopedViewSet):
    queryset = ProgramMembership.objects.none()  # for schema introspection only
    serializer_class = MemberSerializer
    read_capability = Capability.PEOPLE_VIEW
    write_capability = Capability.PEOPLE_MANAGE
    http_method_names = ["get", "head", "options"]
    filterset_class = MemberFilter
    search_fields = ["user__email", "user__full_name"]
    ordering_fields = ["joined_at", "user__full_name", "user__email"]

    def scoped_queryset(self):
        return selectors.member_list(program=self.request.program)


# Invitations --------------------------------------------------------------------------------


class InvitationSerializer(serializers.ModelSerializer):
    practice = ProgramObjectField(
        model="practices.Practice",  # the practices app is read through the registry
        noun="practice",
        reach=lambda access: apps.get_model("practices", "Practice").objects.all(),
        required=False,
        allow_null=True,
        help_text="Required when role is `practice`: the practice to join.",
    )
    practice_role = serializers.ChoiceField(
        choices=PracticeRole.choices,
        required=False,
        allow_blank=True,
        help_text="Required when role is `practice`: `lead` or `staff`.",
    )
    status = serializers.ChoiceField(
        choices=["pending", "accepted", "expired", "revoked"], read_only=True
    )
    invited_by = serializers.IntegerField(source="invited_by_id", read_only=True, allow_null=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "practice",
            "practice_role",
            "message",
            "status",
            "invited_by",
            "created_at",
            "expires_at",
            "sent_at",
            "send_error",
            "accepted_at",
            "revoked_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "invited_by",
            "created_at",
            "expires_at",
            "sent_at",
            "send_error",
            "accepted_at",
            "revoked_at",
        ]
        extra_kwargs = {"message": {"max_length": 2000}}

    def validate(self, attrs):
        if attrs.get("role") == ProgramRole.PRACTICE:
            missing = {
                name: "Required when inviting into a practice."
                for name in ("practice", "practice_role")
                if not attrs.get(name)
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


@extend_schema(parameters=[PROGRAM_PARAMETER], tags=["people"])
@extend_schema_view(
    list=extend_schema(summary="The program's invitations"),
    retrieve=extend_schema(summary="One invitation"),
    create=extend_schema(
        summary="Invite someone",
        description="Invites an email address into a program role, or into a practice as lead "
        "or staff. The invitation email (with a link valid for a limited number of days) is "
        "queued and sent in the background; `sent_at` is set once it has gone out.",
    ),
)
class InvitationViewSet(ProgramScopedViewSet):
    queryset = Invitation.objects.none()  # for schema introspection only
    serializer_class = InvitationSerializer
    read_capability = Capability.PEOPLE_VIEW
    write_capability = Capability.PEOPLE_MANAGE
    # As on the pages: a practice lead may invite into their own practice (the service checks
    # which practice); everything else about invitations is for people managers.
    action_capabilities = {
        "create": (Capability.PEOPLE_MANAGE, Capability.PRACTICE_INVITE_STAFF),
    }
    http_method_names = ["get", "post", "head", "options"]
    filterset_class = InvitationFilter
    ordering_fields = ["created_at", "email"]

    def scoped_queryset(self):
        return selectors.invitation_list(program=self.request.program)

    def create_object(self, serializer):
        data = serializer.validated_data
        return services.invitation_create(
            program=self.request.program,
            access=self.request.access,
            email=data["email"],
            role=data["role"],
            practice=data.get("practice"),
            practice_role=data.get("practice_role", ""),
            message=data.get("message", ""),
        )

    @extend_schema(
        request=None,
        summary="Revoke an invitation",
        description="Its link stops working at once.",
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, *args, **kwargs):
        invitation = services.invitation_revoke(
            program=request.program, access=request.access, invitation=self.get_object()
        )
        return Response(self.get_serializer(invitation).data)

    @extend_schema(
        request=None,
        summary="Send an invitation again",
        description="Queues a new email with a new link; the previous link stops working.",
    )
    @action(detail=True, methods=["post"])
    def resend(self, request, *args, **kwargs):
        invitation = services.invitation_resend(
            program=request.program, access=request.access, invitation=self.get_object()
        )
        return Response(self.get_serializer(invitation).data)


# API tokens ---------------------------------------------------------------------------------


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "created_at", "last_used_at", "revoked_at", "is_active"]
        read_only_fields = ["id", "created_at", "last_used_at", "revoked_at", "is_active"]


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.CharField(
        read_only=True,
        help_text="The token itself. Shown in this response only: store it now; it cannot be "
        "retrieved again.",
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]


@extend_schema(parameters=[PROGRAM_PARAMETER], tags=["api-tokens"])
@extend_schema_view(
    list=extend_schema(summary="Your API tokens in this program"),
    retrieve=extend_schema(summary="One of your API tokens"),
    create=extend_schema(
        summary="Create an API token",
        description="The response holds the key, once. It works for this program only.",
        request=ApiTokenSerializer,
        responses={status.HTTP_201_CREATED: ApiTokenCreatedSerializer},
    ),
    destroy=extend_schema(
        summary="Revoke an API token",
        description="The token stops working at once; it stays listed as revoked.",
    ),
)
class ApiTokenViewSet(ProgramScopedViewSet):
    queryset = ApiToken.objects.none()  # for schema introspection only
    read_capability = Capability.API_TOKENS_OWN
    write_capability = Capability.API_TOKENS_OWN
    http_method_names = ["get", "post", "delete", "head", "options"]
    ordering_fields = ["created_at", "name"]

    def get_serializer_class(self):
        return ApiTokenCreatedSerializer if self.action == "create" else ApiTokenSerializer

    def scoped_queryset(self):
        # The caller's own tokens only: another person's token is "not found".
        return selectors.api_token_list(program=self.request.program, user=self.request.user)

    def create_object(self, serializer):
        token, key = services.api_token_create(
            program=self.request.program,
            user=self.request.user,
            name=serializer.validated_data["name"],
        )
        token.key = key
        return token

    def destroy_object(self, instance):
        services.api_token_revoke(
            program=self.request.program, access=self.request.access, token=instance
        )


routes = [
    ("members", MemberViewSet, "member"),
    ("invitations", InvitationViewSet, "invitation"),
    ("api-tokens", ApiTokenViewSet, "api-token"),
]
