"""The one base for program-scoped API endpoints.

Subclasses declare serializers, the capabilities that guard reading and writing, and
`scoped_queryset()` (which calls a selector). They cannot override how objects are fetched,
how permission is checked, or where `program` comes from: the class refuses to be defined.
"""

from rest_framework import exceptions, permissions, viewsets

from psp.accounts.mfa import mfa_policy_met, mfa_setup_message
from psp.accounts.models import ApiToken
from psp.api.filters import refuse_empty_query_parameters
from psp.numbers import parse_id
from psp.tenancy.access import access_for
from psp.tenancy.base import ProgramOwned
from psp.tenancy.permissions import Capability
from psp.tenancy.scope import current_program_id

SEALED = (
    "get_queryset",
    "get_object",
    "initial",
    "get_permissions",
    "perform_create",
    "perform_update",
    "perform_destroy",
)


def refuse_outside_program(view, request) -> None:
    """Before anything else, a request the program middleware did not admit to a program:
    anonymous callers get 401 whether or not the program exists (no slug probing), members of
    other programs 404."""
    if getattr(request, "program", None) is None:
        view.perform_authentication(request)
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        raise exceptions.NotFound()


class ProgramMemberPermission(permissions.BasePermission):
    """The caller holds a role in the program of the URL (else 404), and the capability for the
    action (else 403). A token only works in the program it was created in."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        program = request.program
        if isinstance(request.auth, ApiToken) and request.auth.program_id != program.pk:
            raise exceptions.NotFound()
        access = access_for(program=program, user=request.user)
        if access is None:
            raise exceptions.NotFound()
        # The MFA policy binds the API as it binds pages, for session and token callers alike:
        # a token stops working while its admin owner has no authenticator (psp.accounts.mfa).
        if not mfa_policy_met(user=request.user, access=access):
            raise exceptions.PermissionDenied(
                mfa_setup_message(access=access, with_link=True), code="mfa_required"
            )
        request.access = access
        request._request.access = access
        capabilities = view.capabilities_for_action()
        if capabilities and not any(access.can(capability) for capability in capabilities):
            raise exceptions.PermissionDenied("Your role does not allow this.")
        return True

    def has_object_permission(self, request, view, obj):
        capabilities = view.capabilities_for_action()
        if not capabilities:
            return True
        practice_id = view.practice_id_of(obj)
        if practice_id is not None and not any(
            request.access.can(capability, practice_id) for capability in capabilities
        ):
            raise exceptions.PermissionDenied("Your role does not allow this for this practice.")
        return True


class ProgramScopedViewSet(viewsets.ModelViewSet):
    read_capability: Capability | None = None
    write_capability: Capability | None = None
    # Per-action capabilities, e.g. {"stage": Capability.PRACTICE_MOVE_STAGE}; a tuple means
    # "any of these" (the service then decides on the exact object, e.g. which practice).
    action_capabilities: dict[str, Capability | tuple[Capability, ...]] = {}
    permission_classes = [ProgramMemberPermission]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        overridden = [name for name in SEALED if name in cls.__dict__]
        if overridden:
            raise TypeError(
                f"{cls.__name__} overrides {', '.join(overridden)}; program-scoped viewsets "
                "declare scoped_queryset(), create_object() and update_object() instead."
            )
        if (
            "permission_classes" in cls.__dict__
            and ProgramMemberPermission not in cls.__dict__["permission_classes"]
        ):
            raise TypeError(f"{cls.__name__} must keep ProgramMemberPermission.")

    # Hooks for subclasses -------------------------------------------------------------
    def scoped_queryset(self):
        raise NotImplementedError("Return the selector's queryset for this endpoint.")

    def create_object(self, serializer):
        """Create through the app's service; return the new instance."""
        raise exceptions.MethodNotAllowed(self.request.method)

    def update_object(self, serializer):
        """Update through the app's service; return the instance."""
        raise exceptions.MethodNotAllowed(self.request.method)

    def destroy_object(self, instance):
        raise exceptions.MethodNotAllowed(self.request.method)

    def practice_id_of(self, obj) -> int | None:
        """The practice an object belongs to, for per-practice permission checks."""
        return getattr(obj, "practice_id", None)

    # Sealed machinery -----------------------------------------------------------------
    def capabilities_for_action(self) -> tuple[Capability, ...]:
        if self.action in self.action_capabilities:
            capability = self.action_capabilities[self.action]
        elif self.request.method in permissions.SAFE_METHODS:
            capability = self.read_capability
        else:
            capability = self.write_capability
        if capability is None:
            return ()
        return capability if isinstance(capability, tuple) else (capability,)

    def initial(self, request, *args, **kwargs):
        # DRF's APIView.initial, with the caller's rate counted before any refusal (DRF counts
        # after the permission check): probing other programs' slugs or ids spends the same
        # allowance as reading.
        self.format_kwarg = self.get_format_suffix(**kwargs)
        negotiated = self.perform_content_negotiation(request)
        request.accepted_renderer, request.accepted_media_type = negotiated
        request.version, request.versioning_scheme = self.determine_version(
            request, *args, **kwargs
        )
        self.perform_authentication(request)
        self.check_throttles(request)
        refuse_outside_program(self, request)
        self.check_permissions(request)
        refuse_empty_query_parameters(request.query_params)

    def get_permissions(self):
        return [ProgramMemberPermission()]

    def get_queryset(self):
        queryset = self.scoped_queryset()
        if not issubclass(queryset.model, ProgramOwned):
            raise TypeError(f"{type(self).__name__} must serve a program-owned model.")
        # Belt and braces: even a selector built on all_programs stays inside the program.
        return queryset.filter(program_id=current_program_id())

    def get_object(self):
        value = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
        # An id no database row can have does not exist: 404, not an overflow in the database,
        # nor "١٢" read as 12 or "³" as a crash.
        if parse_id(value) is None:
            raise exceptions.NotFound()
        return super().get_object()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["program"] = getattr(self.request, "program", None)
        context["access"] = getattr(self.request, "access", None)
        return context

    def perform_create(self, serializer):
        serializer.instance = self.create_object(serializer)

    def perform_update(self, serializer):
        serializer.instance = self.update_object(serializer)

    def perform_destroy(self, instance):
        self.destroy_object(instance)
