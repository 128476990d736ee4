"""Forms for the practice pages. They check input shape only; the services hold the rules."""

from django import forms

from practices import selectors
from practices.models import Practice, Stage
from practices.services import PROFILE_FIELDS
from psp.forms_fields import BoundedDateField, person_label
from psp.tenancy.models import Sector


class PracticeForm(forms.ModelForm):
    """A practice's profile, as its admin, coach or lead edits it."""

    class Meta:
        model = Practice
        fields = PROFILE_FIELDS
        field_classes = {"enrolled_on": BoundedDateField}
        widgets = {"enrolled_on": forms.DateInput(attrs={"type": "date"})}
        labels = {"name": "Practice name", "enrolled_on": "Enrolled on"}
        help_texts = {"region": "Town, district or health region."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", "Choose a sector"), *Sector.choices]
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"


class PracticeCreateForm(PracticeForm):
    """A new practice: its profile, and the stage it joins the program at."""

    stage = forms.ChoiceField(
        label="Starting stage",
        choices=Stage.choices,
        initial=Stage.NEEDS_ASSESSMENT,
        help_text="Most practices start at the needs assessment.",
    )


class StageMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label="Move to stage", choices=())
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why now? What was agreed? The note is kept in the stage history.",
    )

    def __init__(self, *args, practice: Practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [
            ("", "Choose a stage"),
            *[(value, label) for value, label in Stage.choices if value != practice.stage],
        ]


class CoachAssignForm(forms.Form):
    coach = forms.ModelChoiceField(
        label="Assign a coach",
        queryset=None,
        empty_label="Choose a coach",
        error_messages={"invalid_choice": "Choose one of this program's coaches."},
    )

    def __init__(self, *args, practice: Practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = selectors.coach_choices_for(practice=practice)
        self.fields["coach"].label_from_instance = person_label
