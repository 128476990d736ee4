"""The base of every page inside a program (/p/<program>/...).

The program middleware has already put the program in scope and answered 404 to anyone without
a role in it; a page then needs its capability somewhere in the program (else 403). Pages about
one object look the object up through a selector of what the person may see (404 when out of
reach) and ask `access.can(capability, practice_id)` for the action (403), never working rules
out from roles themselves.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from psp.tenancy.permissions import Capability


class ProgramPageMixin:
    """A page inside a program that needs `capability` somewhere in it (else 403)."""

    capability: Capability | None = None

    def dispatch(self, request, *args, **kwargs):
        self.access = getattr(request, "access", None)
        if self.access is None:  # only reachable outside /p/<program>/, where nothing is ours
            raise Http404("No such program.")
        self.check_access()
        return super().dispatch(request, *args, **kwargs)

    def check_access(self) -> None:
        if self.capability is not None and not self.access.can(self.capability):
            raise PermissionDenied("Your role does not allow this.")
