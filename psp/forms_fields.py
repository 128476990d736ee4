"""Form fields every app's forms share: dates in range, and choices among objects the view
already loaded."""

from django import forms

from psp.dates import EARLIEST_DATE, LATEST_DATE, check_date_in_range
from psp.widgets import QuickSelect


class BoundedDateField(forms.DateField):
    """A date people type or pick, from 2000 to 2099 (psp/dates.py). A date input also tells
    the browser's picker the range (min and max)."""

    default_validators = [check_date_in_range]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.DateInput):
            attrs.update(min=EARLIEST_DATE.isoformat(), max=LATEST_DATE.isoformat())
        return attrs


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
