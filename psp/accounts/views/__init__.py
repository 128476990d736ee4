"""Pages for people (the program's people page), invitation links and API tokens."""

from django.core.exceptions import PermissionDenied


def require(request, capability, practice_id=None) -> None:
    """403 unless the person's role in the program grants `capability` (the matrix decides)."""
    if not request.access.can(capability, practice_id):
        raise PermissionDenied("Your role does not allow this.")


def apply_validation_error(form, error) -> None:
    """Show a service's ValidationError beside the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
