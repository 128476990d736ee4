"""Page-number pagination with a client-chosen page size, capped.

`page` and `page_size` are held to the bounds the schema states, like every query parameter: a
value outside them is a 400 naming the parameter, not a silent fall-back to another page size
(the client would read fewer rows than it asked for, and not know). A page past the last is a
404, as in DRF.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

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
