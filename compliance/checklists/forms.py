"""Forms of the template pages: a template's details and schedule, packs to load, a draft's
sections and items, and the notes kept with a version. They check the shape of input only; the
rules live in the services (services.py, drafting.py, packs/services.py)."""

import calendar

from django import forms

from compliance.checklists.drafting import DOWN, UP
from compliance.checklists.models import (
    Attester,
    Recurrence,
    RecurrenceEvent,
    ResponseType,
)
from compliance.checklists.packs import available_packs
from practices.models import Stage
from psp.forms_fields import ObjectChoiceField
from psp.tenancy.models import Sector

MONTHS = [(n, calendar.month_name[n]) for n in range(1, 13)]


class TemplateForm(forms.Form):
    """A template's details and schedule (not versioned: a change applies to the checklists
    made from now on)."""

    name = forms.CharField(label="Template name", max_length=200)
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Description"
    )
    sector = forms.ChoiceField(
        label="Sector",
        required=False,
        choices=[("", "Every sector"), *Sector.choices],
        help_text="A sector template is assigned only to practices of that sector.",
    )
    recurrence = forms.ChoiceField(label="How often", choices=Recurrence.choices)
    anchor_month = forms.TypedChoiceField(
        label="Year starts in",
        coerce=int,
        choices=MONTHS,
        initial=1,
        help_text="For quarterly and yearly checklists: April for a fiscal year from April.",
    )
    due_days = forms.IntegerField(
        label="Days to complete it",
        min_value=1,
        max_value=365,
        initial=30,
        help_text="For a checklist made once or after an event: days from its opening to its "
        "due date.",
    )
    event = forms.ChoiceField(
        label="After which event",
        required=False,
        choices=[("", "No event"), *RecurrenceEvent.choices],
        help_text="Only for a checklist due a number of days after an event.",
    )
    event_stage = forms.ChoiceField(
        label="The stage moved to",
        required=False,
        choices=[("", "Any stage"), *Stage.choices],
        help_text="Only for a checklist due after a stage move.",
    )


class TemplateCreateForm(TemplateForm):
    key = forms.SlugField(
        label="Key",
        max_length=80,
        help_text="Short and stable, for integrations, e.g. fire-safety-annual. It cannot be "
        "changed later.",
    )
    field_order = ["name", "key"]


class PackLoadForm(forms.Form):
    # Each pack has its own button named `packs`; "Load all suited" sends every suited key.
    packs = forms.MultipleChoiceField(label="Packs", widget=forms.MultipleHiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["packs"].choices = [(pack.key, pack.name) for pack in available_packs()]


class NoteForm(forms.Form):
    """Publishing a draft or starting a new one: what changes, for the version history."""

    change_note = forms.CharField(
        label="What changes in this version",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown in the version history.",
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[(UP, "Up"), (DOWN, "Down")])


class SectionForm(forms.Form):
    title = forms.CharField(label="Section title", max_length=200)


class ItemForm(forms.Form):
    section = ObjectChoiceField(label="Section", widget=forms.Select)
    text = forms.CharField(
        label="What must be checked",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A statement to confirm, or a question for yes/no, date and number items.",
    )
    key = forms.SlugField(
        label="Key",
        required=False,
        max_length=80,
        help_text="Stable across versions, so answers line up. Left empty, it is made from the "
        "text.",
    )
    guidance = forms.CharField(
        label="Guidance",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How to check it, and what good looks like.",
    )
    reference = forms.CharField(
        label="Regulation or standard",
        required=False,
        max_length=300,
        help_text="As people cite it, e.g. “Privacy law: safeguards principle”.",
    )
    response_type = forms.ChoiceField(label="How it is answered", choices=ResponseType.choices)
    yes_is_compliant = forms.BooleanField(
        label="“Yes” is the compliant answer",
        required=False,
        initial=True,
        help_text="Yes/no items only. Untick for questions like “Is any login shared?”.",
    )
    evidence_required = forms.BooleanField(
        label="A document must be attached as evidence", required=False
    )
    attester = forms.ChoiceField(
        label="Who signs it off",
        choices=Attester.choices,
        help_text="A practice that has named nobody for a role falls back to its practice lead.",
    )

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].set_objects(sections, label_from=lambda s: s.title)
