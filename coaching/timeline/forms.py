"""The filters above a practice's timeline: the kinds of entry to show (among those the person
may see) and the period. They build on the caseload pages' filter forms."""

from django import forms

from coaching.caseload.forms import FilterForm, PeriodMixin
from coaching.timeline.entries import KINDS


class TimelineFilterForm(PeriodMixin, FilterForm):
    kinds = forms.MultipleChoiceField(
        label="Show", required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    field_order = ["kinds", "date_from", "date_to"]

    def __init__(self, *args, visible=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(kind, KINDS[kind]) for kind in visible]
        self.fields["kinds"].initial = list(visible)

    def filters(self) -> dict:
        data = self.valid_data()
        return {
            "kinds": data.get("kinds") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
