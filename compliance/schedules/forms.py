"""The form that assigns a template. Which practices a filter matches is read from the page's
query string by the practice list's own FilterSet (practices/filters.py), so a filter means the
same here as on the practice list."""

from django import forms

from psp.forms_fields import BoundedDateField, ObjectChoiceField
from psp.tenancy.models import Sector

PRACTICE, MATCHING, SECTOR, EVERY = "practice", "matching", "sector", "every"
TARGETS = [
    (PRACTICE, "One practice"),
    (MATCHING, "Each practice matching the filters above (one assignment each)"),
    (SECTOR, "Every practice of a sector, including those enrolled later"),
    (EVERY, "Every practice of the program, including those enrolled later"),
]


class AssignForm(forms.Form):
    template = ObjectChoiceField(label="Checklist template", widget=forms.Select)
    target = forms.ChoiceField(label="Assign to", choices=TARGETS, widget=forms.RadioSelect)
    practice = ObjectChoiceField(label="Practice", required=False, empty_label="Choose a practice")
    sector = forms.ChoiceField(
        label="Sector", required=False, choices=[("", "Choose a sector"), *Sector.choices]
    )
    starts_on = BoundedDateField(
        label="Starting from",
        help_text="Checklists are made for the period containing this date and every one since. "
        "For a checklist after an event, only events from this date count.",
    )

    def __init__(self, *args, templates=(), practices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].set_objects(
            templates, label_from=lambda t: t.name, empty_label="Choose a template"
        )
        self.fields["practice"].set_objects(
            practices, label_from=lambda p: p.name, empty_label="Choose a practice"
        )

    def clean(self):
        data = super().clean()
        target = data.get("target")
        if target == PRACTICE and not data.get("practice"):
            self.add_error("practice", "Choose the practice.")
        if target == SECTOR and not data.get("sector"):
            self.add_error("sector", "Choose the sector.")
        return data
