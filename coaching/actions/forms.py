"""Forms for actions: adding or editing one on the plan page, and moving it along (the filters
above the actions lists are coaching/actions/filters.py). They check input shape only; the
services hold the rules.

The owners to choose from are handed in as a list the view loaded once, so a plan page with
many actions renders many forms without a query per form."""

from django import forms

from coaching.actions.models import ActionStatus
from psp.forms_fields import BoundedDateField, ObjectChoiceField, person_label


class ActionForm(forms.Form):
    title = forms.CharField(label="Action", max_length=300)
    owner = ObjectChoiceField(label="Owner", required=False)
    due_on = BoundedDateField(
        label="Due on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].set_objects(
            owners, label_from=person_label, empty_label="No owner yet"
        )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices)
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when dropping the action: say why.",
    )
