"""Forms for actions: adding or editing one on the plan page, moving it along, and the
filters above the actions lists. They check input shape only; the services hold the rules.

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


# The actions lists -------------------------------------------------------------------------

OPEN_OR_IN_PROGRESS, ANY_STATUS = "", "any"


class ActionFilterForm(forms.Form):
    """The filters above an actions list; an invalid value is shown as an error and ignored.

    Without a status chosen the list shows what is still to do (open or in progress). The
    owner filter is offered when the view hands in people to choose from."""

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            (OPEN_OR_IN_PROGRESS, "Open or in progress"),
            *ActionStatus.choices,
            (ANY_STATUS, "Any status"),
        ],
    )
    owner = ObjectChoiceField(label="Owner", required=False)
    source = forms.ChoiceField(
        label="Source",
        required=False,
        choices=[("", "Plans and visits"), ("plan", "Support plans"), ("visit", "Visits")],
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(self, *args, owners=None, owner_empty_label="Anyone", **kwargs):
        super().__init__(*args, **kwargs)
        if owners is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].set_objects(
                owners, label_from=person_label, empty_label=owner_empty_label
            )

    def filters(self) -> dict:
        """Keyword arguments for selectors.followup_actions (the owner as `owner`, an object
        or None)."""
        data = {}
        if self.is_bound:
            self.is_valid()  # an invalid field is left out of cleaned_data; the rest apply
            data = self.cleaned_data
        status = data.get("status") or OPEN_OR_IN_PROGRESS
        if status == OPEN_OR_IN_PROGRESS:
            statuses = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
        elif status == ANY_STATUS:
            statuses = ()
        else:
            statuses = (status,)
        return {
            "statuses": statuses,
            "owner": data.get("owner"),
            "source": data.get("source") or None,
            "overdue": bool(data.get("overdue")),
        }

    def is_filtered(self) -> bool:
        if not self.is_bound:
            return False
        return any(self.data.get(name) for name in self.fields)
