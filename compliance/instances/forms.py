"""Forms of a checklist's page: one item's answer (its controls by the item's response type), a
signature, a correction's reason and a failed item's action. They check input shape only; the
services (and compliance/instances/answers.py) hold the rules, and their errors come back
beside these fields (psp/forms.py).

Every item's form has ids of its own (`item-<pk>-…`): a page holds dozens of them."""

from django import forms

from compliance.checklists.models import ResponseType
from compliance.instances.answers import CHOICES
from compliance.instances.services import STATEMENT
from psp.forms_fields import BoundedDateField, ObjectChoiceField, person_label

TEXT_ROWS = {"rows": 2}


class ItemAnswerForm(forms.Form):
    """The answer to one item: a choice (done / not done / not applicable, or yes / no / not
    applicable) or a value (date, number, text) with "does not apply", why it does not apply,
    and a note."""

    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs=TEXT_ROWS), max_length=4000
    )

    def __init__(self, *args, item, response=None, **kwargs):
        kwargs.setdefault("auto_id", f"item-{item.pk}-%s")
        kwargs.setdefault("initial", _initial(response))
        super().__init__(*args, **kwargs)
        self.item = item
        kind = item.response_type
        fields = {}
        if kind in CHOICES:
            fields["choice"] = forms.ChoiceField(
                label="Answer",
                choices=list(CHOICES[kind].items()),
                required=False,
                widget=forms.RadioSelect(attrs={"class": "checklist-answer__choice"}),
            )
        else:
            fields.update(_value_field(kind))
            fields["not_applicable"] = forms.BooleanField(
                label="Does not apply here",
                required=False,
                widget=forms.CheckboxInput(attrs={"data-na": "true"}),
            )
        fields["na_reason"] = forms.CharField(
            label="Why it does not apply",
            required=False,
            max_length=4000,
            widget=forms.Textarea(attrs=TEXT_ROWS),
        )
        # The answer first, the note last, whatever the type.
        self.fields = {**fields, "note": self.fields["note"]}

    @property
    def value_field(self):
        """The field holding the answer (the choice, or the date, number or text)."""
        name = "choice" if "choice" in self.fields else _VALUE_NAMES[self.item.response_type]
        return self[name]

    def answer_data(self) -> dict:
        """What the service reads (compliance/instances/answers.py)."""
        data = dict(self.cleaned_data)
        if data.pop("not_applicable", False):
            data["choice"] = "na"
        return data


_VALUE_NAMES = {
    ResponseType.DATE: "value_date",
    ResponseType.NUMBER: "value_number",
    ResponseType.TEXT: "value_text",
}


def _value_field(kind: str) -> dict:
    if kind == ResponseType.DATE:
        return {"value_date": BoundedDateField(label="Date", required=False)}
    if kind == ResponseType.NUMBER:
        widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 12})
        return {"value_number": forms.CharField(label="Number", required=False, widget=widget)}
    widget = forms.Textarea(attrs={"rows": 3})
    return {"value_text": forms.CharField(label="Answer", required=False, widget=widget)}


def _initial(response) -> dict:
    if response is None:
        return {}
    initial = {
        "choice": response.choice,
        "value_date": response.value_date,
        "value_number": (
            format(response.value_number.normalize(), "f")
            if response.value_number is not None
            else ""
        ),
        "value_text": response.value_text,
        "na_reason": response.na_reason,
        "note": response.note,
        "not_applicable": response.choice == "na",
    }
    return initial


class AttestForm(forms.Form):
    """One signature: the attesting role it is for, the signer's typed name, the statement."""

    attester = forms.CharField(widget=forms.HiddenInput)
    # Required by the service, which words the problem ("Type your full name to sign.") beside
    # the statement's own, both at once.
    signed_name = forms.CharField(
        label="Your full name",
        required=False,
        help_text="Typed as your signature.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    agreed = forms.BooleanField(label=STATEMENT, required=False)

    def __init__(self, *args, attester: str, **kwargs):
        kwargs.setdefault("auto_id", f"sign-{attester}-%s")
        kwargs.setdefault("initial", {"attester": attester})
        super().__init__(*args, **kwargs)
        self.attester = attester


class CorrectForm(forms.Form):
    reason = forms.CharField(
        label="What is being corrected, and why",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept with both revisions and in the checklist's history.",
    )


class ItemActionForm(forms.Form):
    """A failed item made an action: under a goal of the practice's plan when it has one."""

    title = forms.CharField(label="Action", max_length=300)
    goal = ObjectChoiceField(label="Plan goal it serves", required=False)
    owner = ObjectChoiceField(label="Owner", required=False)
    due_on = BoundedDateField(label="Due on", required=False)

    def __init__(self, *args, item, goals=(), owners=(), **kwargs):
        kwargs.setdefault("auto_id", f"item-{item.pk}-action-%s")
        kwargs.setdefault("initial", {"title": f"Fix: {item.text}"[:300]})
        super().__init__(*args, **kwargs)
        self.fields["owner"].set_objects(
            owners, label_from=person_label, empty_label="No owner yet"
        )
        if goals:
            self.fields["goal"].set_objects(
                goals,
                label_from=lambda goal: f"{goal.title} ({goal.plan.title})",
                empty_label="Choose the goal it serves",
            )
            self.fields["goal"].required = True
        else:
            del self.fields["goal"]
