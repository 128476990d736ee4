"""Forms for the caseload and dose pages, and the caseload rules. They check input shape only:
filters that do not validate are shown as errors and ignored; the rules' own checks live in
coaching/caseload/services.py. The practice timeline's filters build on the ones here
(coaching/timeline/forms.py)."""

from datetime import date

from django import forms

from coaching.caseload.dose import GROUPINGS, last_twelve_months, period_errors
from coaching.caseload.models import CaseloadRules
from coaching.caseload.rules import CaseloadStatus
from coaching.caseload.services import RULE_FIELDS
from practices.models import Stage
from psp.forms_fields import BoundedDateField, ObjectChoiceField, person_label
from psp.tenancy.models import Sector

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FilterForm(forms.Form):
    """Filters above a list: every field optional, invalid ones left out of `filters()`."""

    def valid_data(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()  # fills cleaned_data with the fields that passed, and only those
        return self.cleaned_data


class CaseloadFilterForm(FilterForm):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *CaseloadStatus.choices]
    )
    coach = ObjectChoiceField(label="Coach", required=False)
    stage = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "All stages"), *Stage.choices]
    )
    sector = forms.ChoiceField(
        label="Sector", required=False, choices=[("", "All sectors"), *Sector.choices]
    )

    def __init__(self, *args, coaches=None, **kwargs):
        """Without `coaches` (a coach's own caseload) only the status filter is offered."""
        super().__init__(*args, **kwargs)
        if coaches is None:
            for name in ("coach", "stage", "sector"):
                del self.fields[name]
        else:
            self.fields["coach"].set_objects(
                coaches, label_from=person_label, empty_label="All coaches"
            )

    def filters(self) -> dict:
        data = self.valid_data()
        coach = data.get("coach")
        return {
            "status": data.get("status") or None,
            "coach_id": coach.pk if coach else None,
            "stage": data.get("stage") or None,
            "sector": data.get("sector") or None,
        }


class PeriodMixin(forms.Form):
    date_from = BoundedDateField(label="From", required=False, widget=DATE)
    date_to = BoundedDateField(label="To", required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        for name, message in period_errors(data.get("date_from"), data.get("date_to")).items():
            self.add_error(name, message)  # also drops the bad date: the default applies
        return data


class DoseFilterForm(PeriodMixin, FilterForm):
    group_by = forms.ChoiceField(
        label="Group by", required=False, choices=list(GROUPINGS.items()), initial="month"
    )
    coach = ObjectChoiceField(label="Coach", required=False)
    practice = ObjectChoiceField(label="Practice", required=False)
    sector = forms.ChoiceField(
        label="Sector", required=False, choices=[("", "All sectors"), *Sector.choices]
    )
    field_order = ["group_by", "date_from", "date_to", "coach", "practice", "sector"]

    def __init__(self, *args, coaches=(), practices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].set_objects(
            coaches, label_from=person_label, empty_label="All coaches"
        )
        self.fields["practice"].set_objects(practices, empty_label="All practices")
        first, last = last_twelve_months()
        self.fields["date_from"].help_text = f"Default: {first.day} {first:%b %Y}."
        self.fields["date_to"].help_text = "Default: today."

    def filters(self, today: date | None = None) -> dict:
        data = self.valid_data()
        first, last = last_twelve_months(today)
        date_from = data.get("date_from") or first
        date_to = data.get("date_to") or last
        if date_from > date_to:  # only the start was given, after the default end
            date_to = date_from
        coach, practice = data.get("coach"), data.get("practice")
        return {
            "group_by": data.get("group_by") or "month",
            "date_from": date_from,
            "date_to": date_to,
            "coach_id": coach.pk if coach else None,
            "practice_id": practice.pk if practice else None,
            "sector": data.get("sector") or None,
        }


RULE_HELP = {
    "attention_days_without_visit": "Days since the last logged visit. 0 switches it off.",
    "stalled_days_without_visit": "Must be more than the days for “needs attention”. "
    "0 switches it off.",
    "attention_overdue_actions": "Open actions past their due date. 0 switches it off.",
    "stalled_overdue_actions": "Must be more than the count for “needs attention”. "
    "0 switches it off.",
    "days_without_plan_progress": "No action of the active plan done (and the plan not newly "
    "accepted) for this long. 0 switches it off.",
    "assessment_overdue": "The follow-up is due once the instrument's reassessment interval "
    "has passed since the last submitted assessment.",
}


class CaseloadRulesForm(forms.Form):
    """The rules as an admin edits them, fields as the model describes them; saved by
    services.caseload_rules_update, which checks them against each other."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(CaseloadRules, fields=RULE_FIELDS, help_texts=RULE_HELP)
        )
        for field in self.fields.values():
            if isinstance(field.widget, forms.NumberInput):
                field.widget.attrs.update({"min": 0, "inputmode": "numeric"})
