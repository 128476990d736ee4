"""Pagination: page numbers for the short lists, a keyset cursor for the lists that grow with the
data (KeysetCursorPagination below), both with a client-chosen page size, capped.

`page` and `page_size` are held to the bounds the schema states, like every query parameter: a
value outside them is a 400 naming the parameter, not a silent fall-back to another page size
(the client would read fewer rows than it asked for, and not know). A page past the last is a
404, as in DRF.
"""

import binascii
import json
from base64 import urlsafe_b64decode, urlsafe_b64encode

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination, _reverse_ordering
from rest_framework.utils.urls import replace_query_param

from psp.numbers import parse_int


class StandardPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request, paginator):
        return self._bounded(request, self.page_query_param, default=1, largest=None)

    def get_page_size(self, request):
        return self._bounded(
            request, self.page_size_query_param, default=self.page_size, largest=self.max_page_size
        )

    def _bounded(self, request, name: str, *, default: int, largest: int | None) -> int:
        if name not in request.query_params:
            return default
        number = parse_int(request.query_params[name])
        if number is None or number < 1 or (largest is not None and number > largest):
            bounds = f"from 1 to {largest}" if largest else "from 1"
            raise ValidationError({name: [f"Give a whole number {bounds}."]})
        return number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
        }
        for parameter in parameters:
            parameter["schema"] |= bounds.get(parameter["name"], {})
        return parameters


class KeysetCursorPagination(CursorPagination):
    """Cursor pagination for the lists that grow with the data (visits, actions, KPI values...).

    Page numbers cost an exact COUNT(*) over the whole list on every page and an OFFSET that reads
    and throws away every row before the page; at a million visits that is seconds. Here the
    cursor holds the sort key of the row a page ended on (all of it: the view's ordering plus the
    id as tie-breaker, so the key is unique), and the next page is "the rows after that key",
    which an index on (program, <ordering fields>, id) answers by reading only the page. Rows
    added or removed meanwhile move no row across a page boundary: a walk returns every row that
    existed throughout exactly once. (DRF's own CursorPagination keeps only the first field and
    an offset within its ties, which skips or repeats rows when rows are added in a tie.)

    The view's `ordering` is the default order; `?ordering=` may pick one of its
    `ordering_fields`, which must be fields that are never null (a NULL has no place in "after
    this key"; tests/api/test_cursor_pagination.py holds every cursor-paged view to that). A
    cursor is tied to the ordering it was made for: sent with another one, or altered, it is a
    400 naming `cursor`. `page_size` is bounded as for StandardPagination.
    """

    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-pk"  # when the view declares none
    invalid_cursor_message = "This cursor is not one this list gave; start again without it."
    cursor_query_description = (
        "Where to continue: the `next` or `previous` link of the page before. Omit it for the "
        "first page."
    )

    def get_page_size(self, request):
        return StandardPagination._bounded(
            self,
            request,
            self.page_size_query_param,
            default=self.page_size,
            largest=self.max_page_size,
        )

    def get_ordering(self, request, queryset, view):
        """The requested ordering made unique with the id (in the first field's direction)."""
        named = {"pk": "id", "-pk": "-id"}
        ordering = tuple(
            named.get(field, field) for field in super().get_ordering(request, queryset, view)
        )
        if ordering[-1].lstrip("-") != "id":
            ordering += ("-id" if ordering[0].startswith("-") else "id",)
        return ordering

    def paginate_queryset(self, queryset, request, view=None):
        self.page_size = self.get_page_size(request)
        if not self.page_size:
            return None
        self.base_url = request.build_absolute_uri()
        self.ordering = self.get_ordering(request, queryset, view)
        self.fields = [_model_field(queryset.model, name.lstrip("-")) for name in self.ordering]
        key, self.reverse = self.decode_cursor(request)

        ordering = _reverse_ordering(self.ordering) if self.reverse else self.ordering
        queryset = queryset.order_by(*ordering)
        if key is not None:
            queryset = queryset.filter(_after(ordering, key))
        rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        if self.reverse:
            self.page.reverse()
        # Coming back (reverse), there is always a page after this one: the one we came from.
        self.has_next = more if not self.reverse else True
        self.has_previous = (key is not None) if not self.reverse else more
        return self.page

    def get_next_link(self):
        if not self.has_next or not self.page:
            return None
        return self.encode_cursor((self._key_of(self.page[-1]), False))

    def get_previous_link(self):
        if not self.has_previous or not self.page:
            return None
        return self.encode_cursor((self._key_of(self.page[0]), True))

    def encode_cursor(self, cursor):
        key, reverse = cursor
        text = json.dumps({"o": list(self.ordering), "k": key, "r": int(reverse)})
        encoded = urlsafe_b64encode(text.encode()).decode().rstrip("=")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def decode_cursor(self, request):
        """(the key as the ordering fields' values, whether to go back), or (None, False)."""
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None, False
        try:
            data = json.loads(urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
            values = data["k"]
            if data["o"] != list(self.ordering) or len(values) != len(self.fields):
                raise ValueError("another ordering")
            key = [field.to_python(value) for field, value in zip(self.fields, values, strict=True)]
            if any(value is None for value in key) or data["r"] not in (0, 1):
                raise ValueError("incomplete")
        except (ValueError, TypeError, KeyError, DjangoValidationError, binascii.Error):
            message = self.invalid_cursor_message
            raise ValidationError({self.cursor_query_param: [message]}) from None
        return key, bool(data["r"])

    def _key_of(self, row) -> list:
        """The row's sort key as JSON values (ISO dates and times, exact decimals as text)."""
        values = []
        for name in self.ordering:
            value = row
            for part in name.lstrip("-").split(LOOKUP_SEP):
                value = getattr(value, part)
            values.append(value.isoformat() if hasattr(value, "isoformat") else str(value))
        return values

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
        return parameters


def _model_field(model, path: str):
    """The model field at the end of `path` (`visit__visit_date`), for reading cursor values."""
    *relations, name = path.split(LOOKUP_SEP)
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _after(ordering: tuple[str, ...], key: list) -> Q:
    """Rows strictly after `key` in `ordering`: (a > x) or (a = x and b > y) or ..., with the
    bound on the first field repeated on its own so the index's range condition can use it."""

    def compare(name: str, value) -> Q:
        lookup = "lt" if name.startswith("-") else "gt"
        return Q(**{f"{name.lstrip('-')}__{lookup}": value})

    first = ordering[0]
    bound = Q(**{f"{first.lstrip('-')}__{'lte' if first.startswith('-') else 'gte'}": key[0]})
    after, equal = Q(), Q()
    for name, value in zip(ordering, key, strict=True):
        after |= equal & compare(name, value)
        equal &= Q(**{name.lstrip("-"): value})
    return bound & after
