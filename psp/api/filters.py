"""What the API holds every query parameter to, before any list's filters read them (those are
psp/filters.py, shared with the pages)."""

from django_filters.utils import translate_validation
from rest_framework.exceptions import ValidationError

from psp.filters import ONCE_MESSAGE

EMPTY_MESSAGE = "Give a value, or leave the parameter out."


def refuse_empty_or_repeated_query_parameters(query_params, *, repeatable=()) -> None:
    """`?practice=` and `?coach=1&coach=2` are each a 400 naming the parameter, for every query
    parameter of the API (paging, ordering and search too); only the parameters in `repeatable`
    (a list's filters of several values) take repeats.

    An empty filter read as "no filter" answers with everything, silently: a client that meant
    to narrow a list (or to pick the rows it then changes) gets every row instead. OpenAPI's
    default (`allowEmptyValue: false`) already says an empty value is not valid, and the schema
    gives string parameters `minLength: 1` (psp/api/schema.py); the API holds to it. A repeated
    parameter was read as its last value: the client could not tell which one counted."""
    errors = {}
    for name, values in query_params.lists():
        if "" in values:
            errors[name] = [EMPTY_MESSAGE]
        elif len(values) > 1 and name not in repeatable:
            errors[name] = [ONCE_MESSAGE]
    if errors:
        raise ValidationError(dict(sorted(errors.items())))


def repeatable_parameters(view) -> set[str]:
    """The query parameters a view takes several times: its FilterSet's filters of several
    values."""
    filterset_class = getattr(view, "filterset_class", None)
    return filterset_class.multiple_value_parameters() if filterset_class else set()


def report_filter_values(view, filterset_class) -> dict:
    """A report endpoint's query string read by its FilterSet (the one its page uses): the
    filters' values, or a 400 naming each refused parameter."""
    filterset = filterset_class(view.request.query_params, request=view.request)
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return filterset.values()
