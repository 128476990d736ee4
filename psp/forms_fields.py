"""Form fields every app's forms share: dates in range, and choices among objects the view
already loaded."""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError

from psp.dates import check_date_in_range, date_error, read_date
from psp.widgets import DateTextInput, QuickSelect


class BoundedDateField(forms.DateField):
    """A date people type, from 2000 to 2099 (psp/dates.py), in the program's date style or in
    ISO (2026-12-03, what the API and old links send).

    Its input is always the program's date input (psp.widgets.DateTextInput): a form that asks
    for a DateInput (`type="date"`, which writes the browser's locale) gets that instead, with
    its other attributes. `iso_only` (the API's date filters) reads and writes ISO alone."""

    widget = DateTextInput
    default_validators = [check_date_in_range]

    def __init__(self, *, widget=None, **kwargs):
        if isinstance(widget, type) and issubclass(widget, forms.DateInput):
            widget = widget()
        if isinstance(widget, forms.DateInput) and not isinstance(widget, DateTextInput):
            widget = DateTextInput(attrs=widget.attrs)
        super().__init__(widget=widget, **kwargs)

    @property
    def iso_only(self) -> bool:
        return getattr(self.widget, "iso_only", False)

    @iso_only.setter
    def iso_only(self, value: bool) -> None:
        self.widget.iso_only = value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        day = read_date(str(value).strip(), iso_only=self.iso_only)
        if day is None:
            raise ValidationError(date_error(iso_only=self.iso_only), code="invalid")
        return day


# Choices among objects the view already loaded ------------------------------------------------
# A view reads the choices once through its selector (the caseload, a practice's people, a
# plan's goals) and hands them in, so the form runs no query of its own and offers only what
# the person may choose.


def person_label(user) -> str:
    """How a person is named in a choice: their name and email, or the email alone."""
    return f"{user.full_name} ({user.email})" if user.full_name else user.email


class ObjectChoiceField(forms.ChoiceField):
    """A choice among objects the view already loaded; cleans to the object (or None)."""

    widget = QuickSelect  # the lists can be long: every practice of a program

    def __init__(self, *, objects=(), label_from=str, empty_label=None, **kwargs):
        super().__init__(**kwargs)
        self.set_objects(objects, label_from=label_from, empty_label=empty_label)

    def set_objects(self, objects, *, label_from=str, empty_label=None):
        self.objects = {str(obj.pk): obj for obj in objects}
        choices = [(key, label_from(obj)) for key, obj in self.objects.items()]
        self.choices = ([("", empty_label)] if empty_label else []) + choices

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(value) if value else None


class ObjectMultipleChoiceField(forms.MultipleChoiceField):
    """Several of the objects the view already loaded, as checkboxes; cleans to the objects."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, objects=(), label_from=str, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.set_objects(objects, label_from=label_from)

    def set_objects(self, objects, *, label_from=str):
        self.objects = {str(obj.pk): obj for obj in objects}
        self.choices = [(key, label_from(obj)) for key, obj in self.objects.items()]

    def clean(self, value):
        return [self.objects[key] for key in super().clean(value)]
