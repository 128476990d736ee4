"""Form fields every app's forms share."""

from django import forms

from psp.dates import EARLIEST_DATE, LATEST_DATE, check_date_in_range


class BoundedDateField(forms.DateField):
    """A date people type or pick, from 2000 to 2099 (psp/dates.py). A date input also tells
    the browser's picker the range (min and max)."""

    default_validators = [check_date_in_range]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.DateInput):
            attrs.update(min=EARLIEST_DATE.isoformat(), max=LATEST_DATE.isoformat())
        return attrs
