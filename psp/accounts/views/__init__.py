"""Pages for people (the program's people page), invitation links and API tokens."""

from django.core.exceptions import PermissionDenied


def require(request, capability, practice_id=None) -> None:
    """403 unless the person's role in the program grants `capability` (the matrix decides)."""
    if not request.access.can(capability, practice_id):
        raise PermissionDenied("Your role does not allow this.")
