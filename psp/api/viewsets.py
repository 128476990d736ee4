"""The one base for program-scoped API endpoints.

Subclasses declare serializers, the capabilities that guard reading and writing, and
`scoped_queryset()` (which calls a selector). They cannot override how objects are fetched,
how permission is checked, or where `program` comes from, not even through a mixin placed
before the base: the class refuses to be defined. `ProgramReportViewSet` is the same admission
for an endpoint that answers with a summary of many rows rather than rows of one model, and
`ProgramSummaryViewSet` for such a summary that is also read one by one (per coach, say). A view
that uses none of them still meets DRF's default permission (psp/api/permissions.py).
"""

from django.db import transaction
from rest_framework import exceptions, permissions, viewsets

from psp.accounts.mfa import mfa_policy_met, mfa_setup_message
from psp.accounts.models import ApiToken
from psp.api.filters import (
    refuse_empty_or_repeated_query_parameters,
    repeatable_parameters,
    report_filter_values,
)
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


def _capabilities_for_action(view) -> tuple:
    """The capabilities the view asks for this action; none for a plain view (DRF's default
    permission, psp/api/permissions.py, applies this class to views that declare nothing)."""
    capabilities_for_action = getattr(view, "capabilities_for_action", None)
    return capabilities_for_action() if capabilities_for_action is not None else ()


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
        capabilities = _capabilities_for_action(view)
        if capabilities and not any(access.can(capability) for capability in capabilities):
            raise exceptions.PermissionDenied("Your role does not allow this.")
        return True

    def has_object_permission(self, request, view, obj):
        capabilities = _capabilities_for_action(view)
        if not capabilities:
            return True
        practice_id = view.practice_id_of(obj)
        if practice_id is not None and not any(
            request.access.can(capability, practice_id) for capability in capabilities
        ):
            raise exceptions.PermissionDenied("Your role does not allow this for this practice.")
        return True


def _defined_by(cls, name: str):
    """The class whose definition of `name` `cls` uses (the first in its MRO that defines it)."""
    return next((klass for klass in cls.__mro__ if name in klass.__dict__), None)


class ProgramScopedViewSet(viewsets.ModelViewSet):
    read_capability: Capability | None = None
    write_capability: Capability | None = None
    # Per-action capabilities, e.g. {"stage": Capability.PRACTICE_MOVE_STAGE}; a tuple means
    # "any of these" (the service then decides on the exact object, e.g. which practice).
    action_capabilities: dict[str, Capability | tuple[Capability, ...]] = {}
    permission_classes = [ProgramMemberPermission]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Along the whole hierarchy: a mixin placed before the base in the bases counts too.
        overridden = [name for name in SEALED if _defined_by(cls, name) is not ProgramScopedViewSet]
        if overridden:
            raise TypeError(
                f"{cls.__name__} overrides {', '.join(overridden)}; program-scoped viewsets "
                "declare scoped_queryset(), create_object() and update_object() instead."
            )
        if ProgramMemberPermission not in cls.permission_classes:
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
        refuse_empty_or_repeated_query_parameters(
            request.query_params, repeatable=repeatable_parameters(self)
        )

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

    # The write and the read of what it wrote are one transaction: the locks the service
    # took are held until the answer is read, so a request racing this one (a draft plan
    # discarded meanwhile) cannot remove the row between the two.
    @transaction.atomic
    def perform_create(self, serializer):
        serializer.instance = self.create_object(serializer)

    @transaction.atomic
    def perform_update(self, serializer):
        serializer.instance = self.update_object(serializer)

    def perform_destroy(self, instance):
        self.destroy_object(instance)


REPORT_SEALED = ("initial", "get_permissions", "capabilities_for_action")


class ProgramReportViewSet(viewsets.ViewSet):
    """A program-scoped endpoint that is one resource computed from many rows (no id in the
    path): the router's list URL, GET answered by `read`, and PUT/PATCH by `replace`/`amend`
    where the subclass defines them. Same sealed admission as ProgramScopedViewSet (its
    `initial` and permission, along the whole class hierarchy): `read_capability` for GET,
    `write_capability` for the rest. Subclasses read only through selectors."""

    permission_classes = [ProgramMemberPermission]
    read_capability: Capability | None = None
    write_capability: Capability | None = None
    action_capabilities: dict[str, Capability | tuple[Capability, ...]] = {}
    filterset_class = None  # a ProgramFilterSet, for reports that take filters

    capabilities_for_action = ProgramScopedViewSet.capabilities_for_action
    initial = ProgramScopedViewSet.initial
    get_permissions = ProgramScopedViewSet.get_permissions

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        overridden = [
            name for name in REPORT_SEALED if _defined_by(cls, name) is not ProgramReportViewSet
        ]
        if overridden:
            raise TypeError(
                f"{cls.__name__} overrides {', '.join(overridden)}; program report viewsets "
                "declare read(), replace() and amend() instead."
            )
        if ProgramMemberPermission not in cls.permission_classes:
            raise TypeError(f"{cls.__name__} must keep ProgramMemberPermission.")

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        if actions and actions.get("get") == "list":
            actions = {"get": "read"}
            actions |= {
                m: a for m, a in (("put", "replace"), ("patch", "amend")) if hasattr(cls, a)
            }
        return super().as_view(actions, **initkwargs)

    def list(self, request, *args, **kwargs):  # never called: only makes the router add the URL
        return self.read(request, *args, **kwargs)

    def read(self, request, *args, **kwargs):
        raise NotImplementedError

    def practice_id_of(self, obj) -> int | None:
        return None

    def filter_values(self) -> dict:
        """The query string read by `filterset_class` (the FilterSet the report's page uses):
        the filters' values, or a 400 naming each refused parameter."""
        return report_filter_values(self, self.filterset_class)


SUMMARY_SEALED = (*REPORT_SEALED, "list", "retrieve", "replace", "amend")


class ProgramSummaryViewSet(ProgramReportViewSet):
    """A read-only summary of many rows, listed whole at the router's list URL (`read`) and
    read one by one at its detail URL (`read_one(request, pk)`, e.g. one coach's figures).

    Sealed like the report base, and also its `list` and `retrieve`: the detail URL's id is
    checked here (an id no row can have is a 404, as for ProgramScopedViewSet) before
    `read_one` sees it, as an int; `read_one` answers 404 for an id outside the caller's reach.
    There is nothing to write: `replace` and `amend` are refused at class creation. Describe the
    detail read with `@extend_schema_view(retrieve=extend_schema(...))` on the subclass, and
    give `read` an `operation_id` ending in `_list` (both reads would be `…_retrieve`)."""

    http_method_names = ["get", "head", "options"]
    lookup_field = "pk"
    lookup_url_kwarg = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        overridden = [
            name
            for name in SUMMARY_SEALED
            if (owner := _defined_by(cls, name)) is not None
            and owner not in (ProgramSummaryViewSet, ProgramReportViewSet)
        ]
        if overridden:
            raise TypeError(
                f"{cls.__name__} overrides {', '.join(overridden)}; program summary viewsets "
                "declare read() and read_one() instead."
            )

    def retrieve(self, request, *args, **kwargs):
        pk = parse_id(str(kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")))
        if pk is None:
            raise exceptions.NotFound()
        return self.read_one(request, pk)

    def read_one(self, request, pk: int):
        raise NotImplementedError
