"""Forms of the CPD pages: record or correct an activity (its reflection asks the prompts of its
type), the verifier's decisions, and program activities with their attendees. They check the
shape of input; the services hold the rules (cpd/activities/services/)."""

from django import forms

from cpd.activities.evidence import KIND
from cpd.activities.models import ActivityType
from cpd.activities.reflection import MAX_ANSWER, prompts_for
from psp.evidence.forms import EvidenceFilesField
from psp.forms_fields import BoundedDateField, ObjectMultipleChoiceField, person_label

TEXT = {"rows": 3}
REFLECTION_PREFIX = "reflection_"
TYPE_CHANGED = (
    "You changed the type of activity: its questions are below now. Check them, then save."
)


class ActivityForm(forms.Form):
    """`activity_type` decides the fields below it: items (when the person's rules credit the
    type per item), the category (among the person's rules' categories) and the reflection
    prompts. `person_rules` is what cpd.activities.selectors.person_rules found."""

    activity_type = forms.ChoiceField(label="Type of activity", choices=ActivityType.choices)
    title = forms.CharField(
        label="Title", max_length=200, help_text="As the certificate or programme names it."
    )
    provider = forms.CharField(
        label="Provider", max_length=200, required=False, help_text="Who ran or published it."
    )
    started_on = BoundedDateField(label="Started on")
    ended_on = BoundedDateField(
        label="Ended on", required=False, help_text="Leave empty for a one-day activity."
    )
    hours = forms.DecimalField(
        label="Hours", min_value=0, max_digits=6, decimal_places=2, required=False
    )
    # Set by the page to the type whose fields it shows (see clean()).
    shown_type = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, person_rules, activity_type: str, files_attached=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity_type = activity_type
        self.fields["shown_type"].initial = activity_type
        rules = person_rules.rules
        rule = rules.rule_for(activity_type) if rules is not None else None
        self.per_item = rule is not None and rule.per == "item"
        self.fields["hours"].widget.attrs.update(step="0.25", inputmode="decimal")
        reading = activity_type == ActivityType.READING
        counted_in_items = self.per_item or (rules is None and reading)
        # Hours are what most types are credited by; a type counted in items may leave them out.
        self.fields["hours"].required = not counted_in_items
        if counted_in_items:
            self.fields["items"] = forms.IntegerField(
                label="Items", min_value=1, max_value=32767, required=self.per_item,
                help_text="How many: articles read, chapters, audits done.",
            )  # fmt: skip
        if rules is not None:
            default = rule.category if rule is not None else ""
            names = dict(person_rules.categories)
            label = f"As your scheme counts it ({names.get(default, 'none')})"
            self.fields["category"] = forms.ChoiceField(
                label="Category",
                choices=[("", label), *person_rules.categories],
                required=False,
                help_text="What part of your scheme's requirements it counts towards.",
            )
        for prompt in prompts_for(activity_type):
            self.fields[REFLECTION_PREFIX + prompt.key] = forms.CharField(
                label=prompt.question,
                help_text=prompt.hint,
                max_length=MAX_ANSWER,
                required=False,
                widget=forms.Textarea(attrs=TEXT),
            )
        room = KIND.max_files - files_attached
        if room > 0:
            self.fields["evidence"] = EvidenceFilesField(
                label="Evidence", required=False, max_files=room
            )
            self.fields["evidence_label"] = forms.ChoiceField(
                label="What the files are", choices=[(x, x) for x in KIND.labels], required=False
            )

    def reflection_fields(self):
        return [self[name] for name in self.fields if name.startswith(REFLECTION_PREFIX)]

    def evidence_fields(self):
        return [self[name] for name in ("evidence", "evidence_label") if name in self.fields]

    def main_fields(self):
        type_fields = ("items", "category", "shown_type", "evidence", "evidence_label")
        return [
            self[name]
            for name in self.fields
            if not name.startswith(REFLECTION_PREFIX) and name not in type_fields
        ]

    def clean(self):
        data = super().clean()
        shown = data.get("shown_type")
        if shown and data.get("activity_type") and shown != data["activity_type"]:
            raise forms.ValidationError(TYPE_CHANGED, code="type_changed")
        return data

    def service_data(self) -> dict:
        """What the services take: the fields, with the answers as {prompt key: text}."""
        data = dict(self.cleaned_data)
        for name in ("shown_type", "evidence", "evidence_label"):
            data.pop(name, None)
        data["reflection"] = {
            name.removeprefix(REFLECTION_PREFIX): data.pop(name)
            for name in list(data)
            if name.startswith(REFLECTION_PREFIX)
        }
        return data

    def evidence(self) -> dict:
        """The files to attach with the activity, for the services' `evidence` arguments."""
        return {
            "evidence": self.cleaned_data.get("evidence") or [],
            "evidence_label": self.cleaned_data.get("evidence_label") or KIND.labels[0],
        }

    def add_service_errors(self, error) -> None:
        """A service's errors beside their fields (a reflection answer's as `reflection.key`)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            name = key.replace("reflection.", REFLECTION_PREFIX, 1)
            self.add_error(name if name in self.fields else None, errors)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Why it is rejected",
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
        help_text="The person reads this and corrects the activity, so say what to change.",
    )


class EvidenceRequestForm(forms.Form):
    message = forms.CharField(
        label="What evidence is needed",
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
        help_text="e.g. “The certificate of attendance, showing the hours”.",
    )


class OfferingForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    activity_type = forms.ChoiceField(
        label="Type of activity", choices=ActivityType.choices, initial=ActivityType.WORKSHOP
    )
    provider = forms.CharField(label="Provider", max_length=200, help_text="Who runs it.")
    description = forms.CharField(
        label="Description", required=False, max_length=4000, widget=forms.Textarea(attrs=TEXT)
    )
    started_on = BoundedDateField(label="Starts on")
    ended_on = BoundedDateField(
        label="Ends on", required=False, help_text="Leave empty for a one-day activity."
    )
    hours = forms.DecimalField(
        label="Hours", min_value=0, max_digits=6, decimal_places=2, help_text="Per attendee."
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = forms.ChoiceField(
            label="Category",
            choices=[("", "As each attendee's scheme counts the type"), *categories],
            required=False,
            help_text="Counted in this category for attendees whose scheme has it.",
        )


class AttendeesForm(forms.Form):
    def __init__(self, *args, members, already=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"] = ObjectMultipleChoiceField(
            label="Attendees",
            objects=[m.user for m in members if m.user_id not in set(already)],
            label_from=person_label,
            required=True,
            help_text="Each gets a draft activity filled in from this one, to confirm.",
        )
