"""Forms for the PDSA pages: plan a cycle, and move one on (each stage asks for what it
records). They check input shape only; the services hold the rules (coaching/pdsa/services.py)."""

from django import forms
from django.utils import timezone

from coaching.pdsa.models import PdsaDecision, PdsaStage
from psp.forms_fields import BoundedDateField

TEXT = {"rows": 3}


class PdsaPlanForm(forms.Form):
    change_idea = forms.CharField(
        label="Change to test",
        max_length=300,
        help_text="One small change, e.g. “Recall list sent by text on Mondays”.",
    )
    prediction = forms.CharField(
        label="Prediction",
        max_length=4000,
        widget=forms.Textarea(attrs=TEXT),
        help_text="What you expect to happen, and by how much.",
    )
    kpi_key = forms.SlugField(label="KPI to watch", max_length=80, required=False)
    planned_start = BoundedDateField(label="Planned start", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "kpi_key"
        ].help_text = "The KPI's code, e.g. no-show-rate; the goal's KPI when left empty."


class StartForm(forms.Form):
    started_on = BoundedDateField(label="Started on", initial=timezone.localdate)


class DoneForm(forms.Form):
    what_done = forms.CharField(
        label="What was done",
        max_length=4000,
        widget=forms.Textarea(attrs=TEXT),
        help_text="What the practice actually did, and anything that went differently.",
    )


class StudyForm(forms.Form):
    result = forms.CharField(
        label="What happened against the prediction",
        max_length=4000,
        widget=forms.Textarea(attrs=TEXT),
        help_text="The numbers you watched, next to what you predicted.",
    )
    studied_on = BoundedDateField(label="Studied on", initial=timezone.localdate)


class ActForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=PdsaDecision.choices, widget=forms.RadioSelect
    )
    act_notes = forms.CharField(
        label="Notes on the decision",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )
    ended_on = BoundedDateField(label="Ended on", initial=timezone.localdate)
    plan_next = forms.BooleanField(
        label="Plan the next cycle now",
        required=False,
        initial=True,
        help_text="After “Adapt”: opens a new cycle with this one's change and prediction.",
    )


# The form that moves a cycle on from each stage, with its button's words.
MOVE_FORMS = {
    PdsaStage.PLAN: (StartForm, "Start the test"),
    PdsaStage.DO: (DoneForm, "Record what was done"),
    PdsaStage.STUDY: (StudyForm, "Record the study"),
    PdsaStage.ACT: (ActForm, "Record the decision"),
}
