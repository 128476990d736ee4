"""Forms for the plan pages. They check input shape only; the services hold the rules.

Choices that come from the database (change ideas, domains) are handed in as lists the view
loaded once, so a plan page with many goals renders many forms without a query per form. The
forms for a plan's actions are in coaching/actions/forms.py."""

from django import forms

from coaching.plans.models import GoalStatus, PlanGoal, PlanStatus, SupportPlan
from psp.forms_fields import BoundedDateField, ObjectChoiceField


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
