"""DRF's default permission (settings.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"]).

A view under /api/v1/programs/<program>/ that declares nothing still refuses outsiders: the
caller must hold a role in the program of the URL (else 404, 401 when anonymous) and satisfy the
MFA policy (else 403), exactly as ProgramMemberPermission decides for the scoped viewsets. A view
outside any program keeps IsAuthenticated. Views that declare their own permission classes (the
schema and docs views: SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]) are not affected.

DRF reads this module while `rest_framework.views` is being imported (APIView's class attribute),
so it imports no models and no views at module level.
"""

from rest_framework import permissions


def program_in_url(request, view) -> bool:
    """The URL names a program: the `program` URL kwarg, or the program the middleware put in
    scope for the request (psp/tenancy/middleware.py)."""
    kwargs = getattr(view, "kwargs", None) or {}
    return "program" in kwargs or getattr(request, "program", None) is not None


class ProgramInScopePermission(permissions.BasePermission):
    def has_permission(self, request, view):
        if not program_in_url(request, view):
            return permissions.IsAuthenticated().has_permission(request, view)
        from psp.api.viewsets import ProgramMemberPermission, refuse_outside_program

        # A slug that names no active program: 401 or 404, as for the scoped viewsets.
        refuse_outside_program(view, request)
        return ProgramMemberPermission().has_permission(request, view)

    def has_object_permission(self, request, view, obj):
        if not program_in_url(request, view):
            return True
        from psp.api.viewsets import ProgramMemberPermission

        return ProgramMemberPermission().has_object_permission(request, view, obj)
