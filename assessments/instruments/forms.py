"""Forms for the instrument pages: instrument settings, packs, the draft builder (domains,
questions, options) and the change library. They check the shape of input only; the rules live
in the services (services.py, builder.py, change_ideas.py).

Edit forms are bound to a throwaway instance (the views pass the current values as `initial`),
so a refused edit never leaves half-changed objects behind for the page to show.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

from assessments.instruments.editing import DOWN, UP
from assessments.instruments.models import ChangeIdea, Domain, Instrument, Option, Question
from assessments.instruments.packs import available_packs
from psp.tenancy.models import Sector

LABEL_LINE = re.compile(r"^\s*(-?\d+)\s*[:=.)-]\s*(.*\S)\s*$")


class InstrumentForm(forms.ModelForm):
    """An instrument's settings, which are not versioned."""

    cadence_months = forms.IntegerField(
        label="Follow-up every (months)",
        min_value=1,
        max_value=60,
        help_text="A follow-up assessment is due this many months after the last one.",
    )
    weak_threshold = forms.IntegerField(
        label="Weak domain threshold (%)",
        min_value=1,
        max_value=100,
        help_text="Domains scoring below this propose goals for the support plan.",
    )

    class Meta:
        model = Instrument
        fields = ["name", "sector", "description", "cadence_months", "weak_threshold"]
        labels = {"name": "Instrument name"}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", "Any sector"), *Sector.choices]


class InstrumentCreateForm(InstrumentForm):
    key = forms.SlugField(
        label="Key",
        required=False,
        max_length=80,
        help_text="A stable identifier for integrations, e.g. practice-readiness. Left empty, it "
        "is made from the name. It cannot be changed later.",
    )

    class Meta(InstrumentForm.Meta):
        fields = ["name", "key", "sector", "description", "cadence_months", "weak_threshold"]


class PackLoadForm(forms.Form):
    # Each pack card has its own button named `pack`, so the field is not drawn on its own.
    pack = forms.ChoiceField(label="Pack", widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pack"].choices = [(pack.key, pack.name) for pack in available_packs()]


class ChangeNoteForm(forms.Form):
    """Publishing a draft, or starting a new one: what changed, for the version history."""

    change_note = forms.CharField(
        label="What changes in this version",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown in the version history.",
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[(UP, "Up"), (DOWN, "Down")])


class DomainForm(forms.ModelForm):
    class Meta:
        model = Domain
        fields = ["name", "key", "description"]
        labels = {"name": "Domain name"}
        help_texts = {
            "key": "Keeps results and change ideas lined up across versions. Left empty, it is "
            "made from the name."
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].required = False


class ScaleLabelsField(forms.CharField):
    """A label per scale point, one a line: `1: Not in place`."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        if isinstance(value, dict):
            points = sorted(value.items(), key=lambda item: _as_int(item[0]))
            return "\n".join(f"{point}: {label}" for point, label in points)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        labels, bad = {}, []
        for line in text.splitlines():
            if not line.strip():
                continue
            match = LABEL_LINE.match(line)
            if match is None:
                bad.append(line.strip())
                continue
            labels[str(int(match[1]))] = match[2]
        if bad:
            raise ValidationError(
                "Write each label as point: label, e.g. “1: Not in place” (not “%(line)s”).",
                params={"line": bad[0][:40]},
            )
        return labels


def _as_int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class QuestionForm(forms.ModelForm):
    # Declared here: the model's field would ask the scoped manager for choices at import time.
    domain = forms.ModelChoiceField(
        label="Domain",
        queryset=Domain.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Choose a domain of this version."},
    )
    scale_labels = ScaleLabelsField(
        label="Scale labels",
        required=False,
        help_text="One per line, for each point you want to name: “1: Not in place”.",
    )

    class Meta:
        model = Question
        fields = [
            "domain",
            "text",
            "help_text",
            "kind",
            "key",
            "required",
            "scored",
            "weight",
            "allow_na",
            "scale_min",
            "scale_max",
            "scale_labels",
            "yes_is_positive",
            "number_min",
            "number_max",
            "unit",
        ]
        labels = {
            "text": "Question",
            "help_text": "Guidance for the person answering",
            "kind": "Kind of answer",
            "required": "An answer is required to submit",
            "scored": "Counts towards the score",
            "allow_na": "Can be answered “not applicable”",
            "scale_min": "Bottom of the scale",
            "scale_max": "Top of the scale",
            "yes_is_positive": "“Yes” is the good answer",
            "number_min": "Lowest accepted number",
            "number_max": "Highest accepted number",
        }
        help_texts = {
            "key": "Keeps answers comparable across versions. Left empty, it is made from the "
            "question.",
            "scored": "Only scale, yes/no and choice questions can be scored.",
            "weight": "How much the question counts within its domain; 2 counts double.",
            "allow_na": "Not-applicable answers are left out of the score.",
            "kind": "Changing a choice question to another kind removes its options.",
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "help_text": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = domains
        self.fields["key"].required = False
        self.fields["weight"].widget.attrs.update(min="0.01", step="0.5")


class OptionForm(forms.ModelForm):
    class Meta:
        model = Option
        fields = ["label", "value", "score"]
        labels = {"label": "Option", "score": "Points"}
        help_texts = {
            "value": "Stored with the answers. Left empty, it is made from the label.",
            "score": "What choosing this option earns; 0 for none.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].required = False
        self.fields["score"].widget.attrs.update(step="0.5")


class ActionsField(forms.CharField):
    """Suggested actions, one a line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class ChangeIdeaForm(forms.ModelForm):
    domain_key = forms.ChoiceField(label="Domain it strengthens")
    suggested_actions = ActionsField(
        label="Suggested actions",
        required=False,
        help_text="One a line. They become the plan's actions when a goal is drafted from it.",
    )

    class Meta:
        model = ChangeIdea
        fields = [
            "domain_key",
            "goal",
            "rationale",
            "suggested_measure",
            "suggested_actions",
            "kpi_key",
        ]
        labels = {"goal": "Goal", "kpi_key": "KPI key"}
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 2}),
            "rationale": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, domain_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain_key"].choices = [("", "Choose a domain"), *domain_choices]
        self.fields["domain_key"].error_messages["invalid_choice"] = (
            "Choose one of the instrument's domains."
        )
