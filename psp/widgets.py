"""Form widgets shared by every app."""

from dataclasses import dataclass, replace
from datetime import date

from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from psp.dates import date_hint, write_date
from psp.numbers import parse_id

SELECTED = mark_safe(" selected")


class QuickSelect(forms.Select):
    """A <select> whose options are written out in Python.

    Django's Select renders every option through two templates, about 0.25 ms each: a program
    manager's practice filter over 2,000 practices spent half a second there. This one renders
    the same markup (no option groups) in a few milliseconds."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(key), SELECTED if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


class DateTextInput(forms.DateInput):
    """A date typed in the program's date style (psp/dates.py), with the format shown above it.

    Not `type="date"`: the browser's picker writes the date in the browser's locale (12/03/2026
    in the US, 03/12/2026 in Europe) while the pages write the program's, so one date would read
    two ways. The hint shows an example, and the field's error names the order too.
    `inputmode="text"`: the program's style may use month names, and a phone's numeric pad has
    no separators. `iso_only` (the field sets it for the API's filters) shows ISO instead."""

    def __init__(self, attrs=None):
        attrs = {k: v for k, v in (attrs or {}).items() if k not in ("type", "min", "max")}
        super().__init__({"autocomplete": "off", "inputmode": "text", "size": 14, **attrs})
        self.iso_only = False

    def format_value(self, value):
        if isinstance(value, date):
            return value.isoformat() if self.iso_only else write_date(value)
        return value  # what the person typed, shown again beside its error

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        hint_id = f"{attrs.get('id') or self.attrs.get('id') or f'id_{name}'}_format"
        described = attrs.get("aria-describedby") or self.attrs.get("aria-describedby")
        attrs["aria-describedby"] = f"{described} {hint_id}" if described else hint_id
        return format_html(  # the hint above the box, where a row of filters leaves room
            '<div class="helptext date-hint" id="{}">{}</div>{}',
            hint_id,
            date_hint(iso_only=self.iso_only),
            super().render(name, value, attrs, renderer),
        )


# Filters (psp/filters.py) -----------------------------------------------------------------------

DATE_INPUT = DateTextInput()


class YesNoCheckbox(forms.CheckboxInput):
    """A yes/no filter's checkbox: sends `true` when ticked and nothing otherwise (no filter),
    never the browser's "on", which the filter would refuse."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=lambda value: str(value).lower() in ("true", "1"))

    def format_value(self, value):
        return "true"

    def value_from_datadict(self, data, files, name):
        return data.get(name)


@dataclass(frozen=True)
class SearchChoice:
    """How a long choice becomes a search box: `param` is the filter on the name the box sends
    (`practice_name`), `url_name` the page that answers the matching options (`practices:options`,
    called with `param` and `capability`), `setting` the number of objects above which the
    search box replaces the <select>."""

    param: str
    url_name: str
    capability: str
    noun: str
    setting: str = "PSP_PRACTICE_CHOICE_LIMIT"
    url: str = ""

    def for_program(self, program) -> "SearchChoice":
        return replace(self, url=reverse(self.url_name, kwargs={"program": program.slug}))

    def limit(self) -> int:
        return getattr(settings, self.setting)


class ObjectChoice(QuickSelect):
    """The choice of an id filter on a page: a <select> of the objects in the person's reach,
    read only when it renders (the API reads the same field and never renders it, so it runs no
    query for the options).

    With `search`, more objects than the limit make a search box instead (at 1,000 practices a
    page must not write 1,000 options): a text input named `search.param` that filters on the
    name as typed, which works without JavaScript (Enter searches), and a combobox with
    JavaScript (static/js/search-choice.js), which offers the matching objects as you type and
    puts the chosen one's id in a hidden input named like the filter."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.objects, self.label_from, self.empty_label = None, str, None
        self.chosen, self.search, self.text, self._listed = None, None, "", None

    def configure(self, *, objects, label_from, empty_label, chosen, search) -> None:
        self.objects, self.label_from, self.empty_label = objects, label_from, empty_label
        self.chosen, self.search = chosen, search

    def listed(self) -> list:
        """The objects to offer: all of them, or with `search` up to one past the limit."""
        if self._listed is None:
            objects = self.objects
            if self.search is not None:
                objects = objects[: self.search.limit() + 1]
            self._listed = list(objects)
        return self._listed

    def searching(self) -> bool:
        return self.search is not None and len(self.listed()) > self.search.limit()

    def value_from_datadict(self, data, files, name):
        if self.search is not None:
            self.text = data.get(self.search.param, "")
        return super().value_from_datadict(data, files, name)

    def render(self, name, value, attrs=None, renderer=None):
        pk = _last_id(value)
        if self.searching():
            return self._render_search(name, self._find(pk), attrs)
        listed = self.listed()
        if pk is not None and all(obj.pk != pk for obj in listed):
            chosen = self._find(pk)  # chosen by a link: still shown as chosen
            listed = [chosen, *listed] if chosen is not None else listed
        options = [(str(obj.pk), self.label_from(obj)) for obj in listed]
        self.choices = ([("", self.empty_label)] if self.empty_label else []) + options
        return super().render(name, value, attrs, renderer)

    def _find(self, pk):
        return self.chosen(pk) if pk is not None and self.chosen is not None else None

    def _render_search(self, name, chosen, attrs):
        attrs = self.build_attrs(self.attrs, attrs)
        widget_id = attrs.pop("id", f"id_{name}")
        text = self.text or (self.label_from(chosen) if chosen is not None else "")
        context = {
            "id": widget_id,
            "name": name,
            "value": chosen.pk if chosen is not None else "",
            "search": self.search,
            "text": text,
            "describedby": attrs.pop("aria-describedby", ""),
            "attrs": flatatt({k: v for k, v in attrs.items() if k != "name"}),
        }
        return render_to_string("widgets/search_choice.html", context)


def _last_id(value) -> int | None:
    """The id a bound value names (its last, as a repeated parameter is refused anyway)."""
    values = value if isinstance(value, list | tuple) else [value]
    return parse_id(str(values[-1])) if values and values[-1] not in (None, "") else None
