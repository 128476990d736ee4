"""Forms for the plan pages. They check input shape only; the services hold the rules.

Choices that come from the database (owners, change ideas, domains) are handed in as lists the
view loaded once, so a plan page with many goals and actions renders many forms without a query
per form."""

from django import forms

from coaching.models import ActionStatus, GoalStatus, PlanGoal, PlanStatus, SupportPlan
from psp.forms_fields import BoundedDateField
from psp.widgets import QuickSelect


def person_label(user) -> str:
    return f"{user.full_name} ({user.email})" if user.full_name else user.email


class ObjectChoiceField(forms.ChoiceField):
    """A choice among objects the view already loaded; cleans to the object (or None)."""

    widget = QuickSelect  # the lists can be long: every practice of a program

    def __init__(self, *, objects=(), label_from=str, empty_label=None, **kwargs):
        super().__init__(**kwargs)
        self.set_objects(objects, label_from=label_from, empty_label=empty_label)

    def set_objects(self, objects, *, label_from=str, empty_label=None):
        self.objects = {str(obj.pk): obj for obj in objects}
        choices = [(key, label_from(obj)) for key, obj in self.objects.items()]
        self.choices = ([("", empty_label)] if empty_label else []) + choices

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(value) if value else None


class PlanFilterForm(forms.Form):
    """The filters above the plan list; an invalid value is shown as an error and ignored."""

    practice = ObjectChoiceField(label="Practice", required=False)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *PlanStatus.choices]
    )

    def __init__(self, *args, practices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].set_objects(practices, empty_label="All practices")

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        practice = self.cleaned_data.get("practice")
        return {
            "practice_id": practice.pk if practice else None,
            "status": self.cleaned_data.get("status") or None,
        }


class PlanForm(forms.ModelForm):
    class Meta:
        model = SupportPlan
        fields = ["title", "summary"]
        labels = {"title": "Plan title", "summary": "Summary"}
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"summary": "What the practice and coach agreed, in a few sentences."}


class PlanAcceptForm(forms.Form):
    complete_active = forms.BooleanField(
        label="Complete the practice's current active plan",
        required=False,
        help_text="A practice works on one plan at a time.",
    )

    def __init__(self, *args, active_plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if active_plan is None:
            del self.fields["complete_active"]
        else:
            self.fields[
                "complete_active"
            ].label = f"Complete “{active_plan.title}” at the same time"


class GoalForm(forms.ModelForm):
    """A goal's own fields; its status only once the plan is active."""

    class Meta:
        model = PlanGoal
        fields = ["title", "measure", "target_date", "status"]
        labels = {"title": "Goal", "measure": "Measurable target", "target_date": "Target date"}
        field_classes = {"target_date": BoundedDateField}
        widgets = {"target_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, plan: SupportPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].help_text = "e.g. third-next-available appointment under 3 days."
        if plan.status != PlanStatus.ACTIVE:
            del self.fields["status"]
        else:
            self.fields["status"].choices = GoalStatus.choices


class GoalAddForm(forms.Form):
    """A new goal: from a change-library entry, or the practice's own (a title is then needed;
    the service says so)."""

    change_idea = ObjectChoiceField(label="Change idea", required=False)
    title = forms.CharField(label="Goal", required=False, max_length=300)
    measure = forms.CharField(
        label="Measurable target",
        required=False,
        max_length=300,
        help_text="e.g. recall list run every month.",
    )
    target_date = BoundedDateField(
        label="Target date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for 90 days from today.",
    )
    domain_key = forms.ChoiceField(label="Domain", required=False)

    def __init__(self, *args, ideas=(), domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_idea"].set_objects(
            ideas, label_from=idea_label, empty_label="Choose a change idea"
        )
        self.fields["domain_key"].choices = [("", "No particular domain"), *domains]


def idea_label(idea) -> str:
    return f"{idea.domain_key.replace('-', ' ').capitalize()}: {idea.goal}"


class GoalSwapForm(forms.Form):
    change_idea = ObjectChoiceField(label="Another change idea for this domain")

    def __init__(self, *args, ideas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_idea"].set_objects(
            ideas, label_from=lambda idea: idea.goal, empty_label="Choose a change idea"
        )


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
