"""One FilterSet per list, shared by the list's page and its API (issue 9).

Every app's FilterSet subclasses `ProgramFilterSet`, and the rules are the same for a page and
for the API:

- an id filter (`IdFilter`) takes only the id of an object in the caller's reach (the request's
  access): any other id, another program's included, is "No practice with id 12 in this
  program.", word for word the answer for an id that names nothing, so nothing leaks;
- a value outside a filter's choices is refused, naming the value;
- a yes/no filter (`YesNoFilter`) takes true, false, 1 or 0: `?overdue=maybe` is refused, not
  ignored;
- a filter of one value refuses a repeated parameter (`?coach=1&coach=2`: which was meant?);
  a filter of several values (`?status=open&status=done`) takes every repeat, any of them
  matching.

The API answers a refused filter with 400 naming the parameter (DjangoFilterBackend, and
ProgramReportViewSet.filter_values for the report endpoints). A page built with `for_page`
shows the same message beside the field and lists nothing until it is fixed (`filtered()`):
rows that do not match what was asked for would read as if they did.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import QueryDict
from django_filters import filters
from django_filters.filterset import FilterSet
from drf_spectacular.utils import extend_schema_field

from psp.dates import DATE_PATTERN, EARLIEST_DATE, LATEST_DATE
from psp.forms_fields import BoundedDateField
from psp.numbers import MAX_ID, parse_int
from psp.widgets import DATE_INPUT, ObjectChoice, SearchChoice, YesNoCheckbox

ONCE_MESSAGE = "Give this parameter once: it takes one value."
UNKNOWN_ID_MESSAGE = "No %(noun)s with id %(value)s in this program."
YES_NO_MESSAGE = "Give true or false (or 1 or 0)."
YES, NO = ("true", "1"), ("false", "0")


# Fields and filters ---------------------------------------------------------------------------


class IdField(forms.IntegerField):
    """The id of an object in `queryset` (the caller's reach); cleans to the object. Ids are
    ASCII digits, from 1 to the largest id a row can have."""

    default_error_messages = {"invalid": "Enter a whole number.", "unknown": UNKNOWN_ID_MESSAGE}
    widget = ObjectChoice

    def __init__(self, *, noun: str, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
        self.noun = noun
        self.queryset = None  # set by the FilterSet, from the request's access

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value)
        number = parse_int(text)
        if number is None and text.isascii() and text.isdigit():
            number = MAX_ID + 1  # more digits than any id: the bound says so
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def clean(self, value):
        pk = super().clean(value)
        if pk is None:
            return None
        found = self.queryset.filter(pk=pk).first()
        if found is None:
            raise ValidationError(
                self.error_messages["unknown"],
                code="unknown",
                params={"noun": self.noun, "value": pk},
            )
        return found


class Described:
    """A filter with `description`: what the API's schema says of it, when the label (what the
    page shows) says too little (psp/api/schema.py reads it); and `shown_if(access)`: whether a
    page shows it to this person (see ProgramFilterSet.unhelpful)."""

    def __init__(self, *args, description: str = "", shown_if=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.description, self.shown_if = description, shown_if


class IdFilter(filters.Filter):
    """An object's id, e.g. `?practice=12`, looked up in the caller's reach.

    `reach(access)` is the queryset of the objects the caller may name; `options(access)` what a
    page offers to choose from (the reach unless given: the owners of the actions on the list
    rather than everyone who could own one). `search` (a SearchChoice) turns the page's choice
    into a search box when there are many (psp/widgets.py). `description` says what the filter
    selects, for the API's schema; `shown_if` as for the other filters (Described)."""

    field_class = IdField

    def __init__(self, *args, noun, reach, options=None, label_from=str, empty_label=None,
                 search: SearchChoice | None = None, description: str = "", shown_if=None,
                 **kwargs):  # fmt: skip
        super().__init__(*args, noun=noun, **kwargs)
        self.reach, self.options, self.shown_if = reach, options or reach, shown_if
        self.label_from, self.empty_label, self.search = label_from, empty_label, search
        # The schema states the bounds enforced here, so a client generated from it never sends
        # an id the server refuses: 0, or past a bigint.
        schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        reach_rule = f"The id of a {noun} in your reach; another id is refused (400)."
        text = f"{description} {reach_rule}" if description else reach_rule
        extend_schema_field({**schema, "description": text})(self)

    def bind(self, access, *, page: bool) -> None:
        """Look ids up in `access`'s reach; on a page, also set up the choice it renders."""
        reach = self.reach(access)
        self.field.queryset = reach
        widget = self.field.widget
        if page and isinstance(widget, ObjectChoice):
            widget.configure(
                objects=self.options(access),
                label_from=self.label_from,
                empty_label=self.empty_label,
                chosen=lambda pk: reach.filter(pk=pk).first(),
                search=self.search.for_program(access.program) if self.search else None,
            )


class YesNoField(forms.Field):
    widget = YesNoCheckbox  # a page's checkbox sends `true` when ticked, nothing otherwise

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).lower()
        if text in YES or text in NO:
            return text in YES
        raise ValidationError(YES_NO_MESSAGE, code="invalid")


class YesNoFilter(Described, filters.BooleanFilter):
    """Yes or no: true, false, 1 or 0 (any case); anything else is refused."""

    field_class = YesNoField


class DateFilter(filters.DateFilter):
    """A date, e.g. `?date_from=2025-01-31`, from 2000 to 2099 like every date people enter
    (psp/dates.py): another is refused naming the parameter. The schema states the range."""

    field_class = BoundedDateField

    def __init__(self, *args, description: str = "", **kwargs):
        kwargs.setdefault("widget", DATE_INPUT)
        super().__init__(*args, **kwargs)
        text = description or f"{self.label or 'A date'}."
        text += f" From {EARLIEST_DATE} to {LATEST_DATE}."
        schema = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
        extend_schema_field({**schema, "description": text})(self)


class ChoiceFilter(Described, filters.ChoiceFilter):
    """One of the choices; on a page, `empty_label` names "no filter" ("Any status")."""


class MultipleChoiceFilter(Described, filters.MultipleChoiceFilter):
    """Any of several choices, the parameter repeated (`?status=open&status=done`); on a page,
    checkboxes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault("distinct", False)  # a value of the row's own column: no duplicates
        super().__init__(*args, **kwargs)


class TextSearchFilter(Described, filters.CharFilter):
    """`?search=green street`: rows where each word appears in one of `fields` (any case)."""

    def __init__(self, *args, fields: tuple[str, ...], placeholder: str = "", **kwargs):
        kwargs.setdefault("max_length", 200)
        attrs = {"type": "search", **({"placeholder": placeholder} if placeholder else {})}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(*args, **kwargs)
        self.fields = fields

    def filter(self, queryset, value):
        for word in (value or "").split():
            matches = Q()
            for name in self.fields:
                matches |= Q(**{f"{name}__icontains": word})
            queryset = queryset.filter(matches)
        return queryset


# The FilterSet ---------------------------------------------------------------------------------


class FilterForm(forms.Form):
    """The form of a ProgramFilterSet: each field's own checks, then the rules of the whole."""

    filterset = None  # the ProgramFilterSet this form belongs to

    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, forms.MultipleChoiceField):
                continue
            if len(self.data.getlist(self.add_prefix(name))) > 1:
                self.errors.pop(name, None)  # the message that matters is this one
                self.add_error(name, ONCE_MESSAGE)
        self.filterset.clean_filters(self)
        return data


class ProgramFilterSet(FilterSet):
    """The base of every list's filters: pages and API alike (see the module's docstring).

    Subclasses declare their filters (a `description` on one says what the API's schema says of
    it, when the page's label says too little), and may set `page_aliases` (a parameter's old
    name on the page -> its name now, so old links keep working) and `clean_filters` (rules
    across filters)."""

    page_aliases: dict[str, str] = {}

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, page=False):
        if queryset is None:  # a report's filters: values to read, no rows of their own
            queryset = self._meta.model._default_manager.none()
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.access = getattr(request, "access", None)
        self.page = page
        # Filters that cannot narrow anything for this person (a practice filter for the lead
        # of one practice): a page takes their values but does not show them.
        self.unhelpful = {
            name
            for name, filter_ in self.filters.items()
            if page and getattr(filter_, "shown_if", None) and not filter_.shown_if(self.access)
        }
        self.fixed: set[str] = set()
        self.hidden: set[str] = set()
        self.given: set[str] = set()
        for filter_ in self.filters.values():
            if isinstance(filter_, IdFilter):
                filter_.bind(self.access, page=page)
            elif isinstance(filter_, DateFilter):
                filter_.field.iso_only = not page  # the API reads and writes ISO dates only

    def get_form_class(self):
        fields = {name: filter_.field for name, filter_ in self.filters.items()}
        name = f"{type(self).__name__}Form"
        return type(name, (FilterForm,), {**fields, "filterset": self})

    def clean_filters(self, form) -> None:
        """Rules across filters: add errors to `form` (e.g. a period that ends before it starts)."""

    def filtered(self):
        """The rows the filters choose; none while a filter is refused (the API has answered 400
        by then, and a page shows why beside the field)."""
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return self.qs

    @property
    def cleaned(self) -> dict:
        """The valid filters' values (ids as objects); empty while a filter is refused."""
        if self.is_bound and not self.is_valid():
            return {}
        return dict(self.form.cleaned_data) if self.is_bound else {}

    def values(self) -> dict:
        """What the filters ask for, as the list's selector takes it (reports override it)."""
        return self.cleaned

    @classmethod
    def multiple_value_parameters(cls) -> set[str]:
        return {
            name
            for name, filter_ in cls.base_filters.items()
            if isinstance(filter_, filters.MultipleChoiceFilter)
        }

    # Pages -------------------------------------------------------------------------------

    @classmethod
    def for_page(
        cls, request, queryset=None, *, fixed=None, defaults=None, hidden=(), options=None
    ):
        """The filters of a list page, read from its query string as the API reads its own,
        except that an empty value means "no filter" (a form sends `practice=` for "All
        practices") and `page_aliases` are read too. `fixed` values are the page's own (the
        practice of a practice's page) and override the query; `defaults` apply when a
        parameter is absent; `hidden` filters (and the `unhelpful` ones) are taken but not
        shown (they are kept as hidden inputs, so a change of another filter keeps them);
        `options` (filter -> queryset) narrow what an id filter offers on this page (a
        practice's owners rather than the program's)."""
        data = cls.page_query(request.GET)
        given = set(data)
        for name, value in (defaults or {}).items():
            if name not in data:
                data.setlist(name, _values(value))
        for name, value in (fixed or {}).items():
            data.setlist(name, _values(value))
        filterset = cls(data, queryset, request=request, page=True)
        for name, objects in (options or {}).items():
            filterset.form.fields[name].widget.objects = objects
        filterset.fixed, filterset.hidden = set(fixed or ()), set(hidden)
        filterset.given = (given & set(filterset.filters)) - filterset.fixed
        for name, filter_ in filterset.filters.items():
            if isinstance(filter_, IdFilter) and filter_.search and name not in filterset.fixed:
                _settle_search(filter_, name, data)
        return filterset

    @classmethod
    def page_query(cls, query) -> QueryDict:
        data = QueryDict(mutable=True)
        for name, values in query.lists():
            values = [value for value in values if value != ""]
            if values:
                data.setlist(name, values)
        for old, new in cls.page_aliases.items():
            if old in data:
                values = data.pop(old)
                if new not in data:
                    data.setlist(new, values)
        return data

    @property
    def is_filtered(self) -> bool:
        """Did the person ask for any filter (beyond what the page itself sets)?"""
        return bool(self.given)

    def shown_fields(self) -> list:
        """The page's filter controls, in order."""
        return [self.form[name] for name in self.form.fields if self._role(name) == "shown"]

    def kept_fields(self) -> list:
        """Filters the page takes without showing them, kept as hidden inputs."""
        return [self.form[name] for name in self.form.fields if self._role(name) == "kept"]

    def error_list(self) -> list[dict]:
        """Every refused filter, for the message above a page's results."""
        if not self.is_bound or self.is_valid():
            return []
        return [
            {"label": self.form[name].label, "id": self.form[name].id_for_label, "message": m}
            for name, messages in self.form.errors.items()
            for m in messages
        ]

    def _role(self, name: str) -> str:
        if name in self.fixed:
            return "fixed"
        if name in self._searched_inside():
            return "inside"  # the search box of a choice sends it
        if name in self.hidden | self.unhelpful or self._is_search_text(name):
            return "kept" if name in self.form.data else "none"
        return "shown"

    def _is_search_text(self, name: str) -> bool:
        return any(
            isinstance(f, IdFilter) and f.search and f.search.param == name
            for f in self.filters.values()
        )

    def _searched_inside(self) -> set[str]:
        return {
            filter_.search.param
            for name, filter_ in self.filters.items()
            if isinstance(filter_, IdFilter)
            and filter_.search
            and name not in self.fixed | self.hidden | self.unhelpful
            and self.form.fields[name].widget.searching()
        }


def _values(value) -> list[str]:
    values = value if isinstance(value, list | tuple | set) else [value]
    return [str(getattr(v, "pk", v)) for v in values]


def _settle_search(filter_: IdFilter, name: str, data: QueryDict) -> None:
    """A search box shows the chosen object's name and sends it with the id. Without
    JavaScript, someone who types another name and presses Enter sends both: the text is the
    new search, so the old choice is dropped rather than both applied (which would match
    nothing)."""
    text, chosen = data.get(filter_.search.param), data.getlist(name)
    if not text or len(chosen) != 1:
        return
    try:
        found = filter_.field.clean(chosen[0])
    except ValidationError:
        return  # the id is refused as it would be anyway
    if found is not None and filter_.label_from(found) != text:
        del data[name]
