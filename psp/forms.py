"""A service's ValidationError on a page: every app's views and forms show it the same way.

Services raise Django's ValidationError keyed by the names of their arguments (`to_stage`,
`practice`, an answer's question id); a form shows what it has a field for beside that field
and the rest above the form. One helper, so a page never drops a message its form has no field
for, and no app writes its own loop over `error_dict`.
"""

from django import forms
from django.core.exceptions import ValidationError


def service_error_messages(error: ValidationError, *, other: str = "") -> dict[str, list[str]]:
    """A service's ValidationError as {key: [messages]}, for pages that lay out errors by key
    themselves (an answer's question, a consensus row) and for the API's `fields`. Errors not
    about one key come under `other`."""
    return error.message_dict if hasattr(error, "error_dict") else {other: error.messages}


def add_service_errors(form: forms.BaseForm, error: ValidationError, *, groups=()) -> None:
    """Show a service's ValidationError on the form: beside its field when the form has that
    field, in `form.group_errors[key]` for the `groups` its template shows as a whole (a
    visit's minutes by activity, its new actions), in the form-level summary otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        if key in groups:
            messages = [message for item in errors for message in item.messages]
            form.group_errors.setdefault(key, []).extend(messages)
        else:
            form.add_error(key if key in form.fields else None, errors)
