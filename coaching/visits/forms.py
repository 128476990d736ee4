"""Forms for the visit pages. They check input shape only; coaching/visits/services/ holds
the rules (the minutes adding up, dates, whose people and goals may be named).

Choices that come from the database (the caseload, a practice's people and open goals) are
handed in as lists the view loaded once, so the form costs no query of its own."""

import uuid

from django import forms
from django.forms import formset_factory

from coaching.visits.checks import MAX_DURATION, MAX_NEW_ACTIONS, MIN_DURATION
from coaching.visits.inputs import VisitInput
from coaching.visits.models import Activity, VisitMode
from psp.forms_fields import (
    BoundedDateField,
    ObjectChoiceField,
    ObjectMultipleChoiceField,
    person_label,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
ACTIVITY_PREFIX = "minutes_"
NEXT_FIELDS = ("next_visit_date", "next_start_time", "next_mode", "next_purpose")


def attendee_label(person) -> str:
    return person.full_name or person.email


def minutes_input(**attrs) -> forms.NumberInput:
    return forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": 1, **attrs})


# Logging, completing and editing a visit ------------------------------------------------------


class VisitForm(forms.Form):
    """A visit as logged: when, how, how long and on what, who came, the goals worked on.

    `mode`: "log" (a new visit: the practice is chosen here, and the form also takes the next
    visit), "complete" (a planned visit: its practice is fixed) or "edit" (a logged visit; with
    `history=True` the form asks what changed and why, kept with the replaced version)."""

    practice = ObjectChoiceField(label="Practice")
    visit_date = BoundedDateField(label="Date", widget=DATE)
    start_time = forms.TimeField(label="Start time", required=False, widget=TIME)
    mode = forms.ChoiceField(
        label="Mode", choices=VisitMode.choices, widget=forms.RadioSelect, initial="on_site"
    )
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)",
        widget=minutes_input(min=MIN_DURATION, max=MAX_DURATION, **{"data-visit-duration": ""}),
        help_text=f"{MIN_DURATION} to {MAX_DURATION}, without travel.",
    )
    travel_minutes = forms.IntegerField(
        label="Travel (minutes)", required=False, min_value=0, widget=minutes_input()
    )
    attendees = ObjectMultipleChoiceField(label="Attendees", label_from=attendee_label)
    other_attendees = forms.IntegerField(
        label="Others without an account",
        required=False,
        min_value=0,
        widget=minutes_input(),
    )
    goals = ObjectMultipleChoiceField(label="Plan goals worked on", label_from=str)
    purpose = forms.CharField(label="Purpose", required=False, max_length=300)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next_visit_date = BoundedDateField(label="Date of the next visit", required=False, widget=DATE)
    next_start_time = forms.TimeField(
        label="Start time of the next visit", required=False, widget=TIME
    )
    next_mode = forms.ChoiceField(
        label="Mode of the next visit", choices=VisitMode.choices, required=False
    )
    next_purpose = forms.CharField(
        label="Purpose of the next visit", required=False, max_length=300
    )
    reason = forms.CharField(
        label="What changed and why",
        required=False,
        max_length=300,
        help_text="Kept with the version this edit replaces.",
    )
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        mode: str = "log",
        practices=(),
        people=(),
        goals=(),
        history: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.form_mode = mode
        self.group_errors: dict[str, list[str]] = {}
        if mode == "log":
            self.fields["practice"].set_objects(
                practices, label_from=lambda p: p.name, empty_label="Choose a practice"
            )
        else:
            del self.fields["practice"]
        if mode == "edit":
            for name in NEXT_FIELDS:
                del self.fields[name]
            del self.fields["submission_key"]
            if not history:
                del self.fields["reason"]
        else:
            del self.fields["reason"]
            if not self.is_bound and not self.initial.get("submission_key"):
                self.initial["submission_key"] = uuid.uuid4()
        for value, label in Activity.choices:
            self.fields[ACTIVITY_PREFIX + value] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                widget=minutes_input(**{"data-activity-minutes": value}),
            )
        # Names alone: the practice's people are few, and an email under each name made the
        # list twice as long on a phone.
        self.fields["attendees"].set_objects(people, label_from=attendee_label)
        self.fields["goals"].set_objects(goals, label_from=lambda goal: goal.title)

    # For the template -------------------------------------------------------------------

    def activity_fields(self):
        return [self[ACTIVITY_PREFIX + value] for value in Activity.values]

    def activity_errors(self) -> list[str]:
        """Errors about the minutes by activity: the service's, and any field's own."""
        own = [error for field in self.activity_fields() for error in field.errors]
        return self.group_errors.get("activities", []) + own

    def next_fields(self):
        return [self[name] for name in NEXT_FIELDS if name in self.fields]

    def next_visit_typed(self) -> bool:
        """Something typed for the next visit (its mode aside: it has a default), or an error
        in it: the folded "Schedule the next visit" opens."""
        typed = ("next_visit_date", "next_start_time", "next_purpose")
        return any(
            self[name].value() not in (None, "") or self[name].errors
            for name in typed
            if name in self.fields
        ) or bool("next_mode" in self.fields and self["next_mode"].errors)

    # For the services -------------------------------------------------------------------

    def activities(self) -> dict[str, int]:
        data = self.cleaned_data
        return {
            value: data.get(ACTIVITY_PREFIX + value) or 0
            for value in Activity.values
            if data.get(ACTIVITY_PREFIX + value)
        }

    def visit_fields(self) -> dict:
        """The visit's own fields: an edit's data (services.visit_update), a log's VisitInput."""
        data = self.cleaned_data
        return {
            "visit_date": data["visit_date"],
            "start_time": data.get("start_time"),
            "mode": data["mode"],
            "duration_minutes": data["duration_minutes"],
            "activities": self.activities(),
            "travel_minutes": data.get("travel_minutes") or 0,
            "attendees": data.get("attendees", []),
            "other_attendees": data.get("other_attendees") or 0,
            "goals": data.get("goals", []),
            "purpose": data.get("purpose", ""),
            "notes": data.get("notes", ""),
        }

    def next_visit(self) -> dict | None:
        data = self.cleaned_data
        if not any(
            data.get(name) for name in ("next_visit_date", "next_start_time", "next_purpose")
        ):
            return None
        return {
            "visit_date": data.get("next_visit_date"),
            "start_time": data.get("next_start_time"),
            "mode": data.get("next_mode") or data.get("mode"),
            "purpose": data.get("next_purpose", ""),
        }

    def to_input(self) -> VisitInput:
        """The visit as services.visit_log and visit_complete take it."""
        return VisitInput(**self.visit_fields())


class NewActionForm(forms.Form):
    """One action item agreed at the visit. A row left empty is skipped."""

    title = forms.CharField(label="Action", max_length=300)
    owner = ObjectChoiceField(label="Owner", required=False)
    due_on = BoundedDateField(label="Due", required=False, widget=DATE)
    goal = ObjectChoiceField(label="Goal", required=False)

    def __init__(self, *args, owners=(), goals=(), me=None, **kwargs):
        super().__init__(*args, **kwargs)

        def owner_label(person):
            return (
                f"You ({person_label(person)})"
                if me is not None and person == me
                else (person_label(person))
            )

        self.fields["owner"].set_objects(owners, label_from=owner_label, empty_label="No owner yet")
        self.fields["goal"].set_objects(goals, label_from=lambda g: g.title, empty_label="No goal")


class BaseNewActionFormSet(forms.BaseFormSet):
    """Every row may be left empty, including rows shown again with what was typed before
    (the form's practice changed): they are never "initial" rows that must be filled."""

    def initial_form_count(self):
        return super().initial_form_count() if self.is_bound else 0

    # For the template: most visits agree no action, so empty rows wait folded away, and the
    # rows up to the last one with something typed (or an error) stay open: nothing typed hides.

    def open_count(self) -> int:
        typed = [index for index, form in enumerate(self.forms) if _row_is_typed(form)]
        return typed[-1] + 1 if typed else 0

    @property
    def open_forms(self) -> list:
        return self.forms[: self.open_count()]

    @property
    def spare_forms(self) -> list:
        return self.forms[self.open_count() :]


def _row_is_typed(form) -> bool:
    if form.is_bound:
        return form.has_changed() or bool(form.errors)
    return any(value not in (None, "") for value in form.initial.values())


NewActionFormSet = formset_factory(
    NewActionForm,
    formset=BaseNewActionFormSet,
    extra=3,
    max_num=MAX_NEW_ACTIONS,
    absolute_max=MAX_NEW_ACTIONS,
    validate_max=True,
)
ACTION_ROWS = 3


def new_action_formset(data=None, *, owners, goals, me, initial=None):
    """The new-action rows: at least three (folded away while empty, for a browser without
    JavaScript), more when more were sent (the "Add an action" button adds rows in the
    browser)."""
    formset = NewActionFormSet(
        data,
        prefix="actions",
        initial=initial or None,
        form_kwargs={"owners": owners, "goals": goals, "me": me},
    )
    formset.extra = max(ACTION_ROWS, len(initial or ()))
    return formset


def new_action_rows(formset) -> list[dict]:
    """The filled rows of a valid formset, as the visit services expect them."""
    return [
        {
            "title": form.cleaned_data["title"],
            "owner": form.cleaned_data.get("owner"),
            "due_on": form.cleaned_data.get("due_on"),
            "goal": form.cleaned_data.get("goal"),
        }
        for form in formset.forms
        if form.has_changed() and form.cleaned_data
    ]


# Planned visits -----------------------------------------------------------------------------


class VisitPlanForm(forms.Form):
    """A visit to come: the practice (when scheduling), date, time, mode, expected duration and
    what it is for."""

    practice = ObjectChoiceField(label="Practice")
    visit_date = BoundedDateField(label="Date", widget=DATE)
    start_time = forms.TimeField(label="Start time", required=False, widget=TIME)
    mode = forms.ChoiceField(
        label="Mode", choices=VisitMode.choices, widget=forms.RadioSelect, initial="on_site"
    )
    duration_minutes = forms.IntegerField(
        label="Expected duration (minutes)",
        initial=60,
        widget=minutes_input(min=MIN_DURATION, max=MAX_DURATION),
    )
    purpose = forms.CharField(
        label="Purpose",
        required=False,
        max_length=300,
        help_text="The agenda: what the visit is for.",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(
        label="What changed and why",
        required=False,
        max_length=300,
        help_text="Kept with the version this edit replaces.",
    )
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, practices=None, history: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.group_errors: dict[str, list[str]] = {}
        if practices is None:  # editing a planned visit: its practice stays
            del self.fields["practice"]
            del self.fields["submission_key"]
        else:
            self.fields["practice"].set_objects(
                practices, label_from=lambda p: p.name, empty_label="Choose a practice"
            )
            if not self.is_bound and not self.initial.get("submission_key"):
                self.initial["submission_key"] = uuid.uuid4()
        if not history:
            del self.fields["reason"]

    def plan_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            name: data.get(name)
            for name in ("visit_date", "start_time", "mode", "duration_minutes")
        }
        kwargs.update(purpose=data.get("purpose", ""), notes=data.get("notes", ""))
        if "practice" in self.fields:
            kwargs.update(practice=data["practice"], submission_key=data.get("submission_key"))
        return kwargs


class VisitCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the visit cancelled?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why the visit is cancelled."},
        help_text="The practice and your program see this with the cancelled visit.",
    )
