"""Forms for the caseload rules, and the filter form the practice timeline builds on
(coaching/timeline/forms.py). They check input shape only: the rules' own checks live in
coaching/caseload/services.py. The caseload and dose pages' filters are FilterSets shared with
the API (coaching/caseload/filters.py)."""

from django import forms

from coaching.caseload.dose import period_errors
from coaching.caseload.models import CaseloadRules
from coaching.caseload.services import RULE_FIELDS
from psp.forms_fields import BoundedDateField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FilterForm(forms.Form):
    """Filters above a list: every field optional, invalid ones left out of `filters()`."""

    def valid_data(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()  # fills cleaned_data with the fields that passed, and only those
        return self.cleaned_data


class PeriodMixin(forms.Form):
    date_from = BoundedDateField(label="From", required=False, widget=DATE)
    date_to = BoundedDateField(label="To", required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        for name, message in period_errors(data.get("date_from"), data.get("date_to")).items():
            self.add_error(name, message)  # also drops the bad date: the default applies
        return data


RULE_HELP = {
    "attention_days_without_visit": "Days since the last logged visit. 0 switches it off.",
    "stalled_days_without_visit": "Must be more than the days for “needs attention”. "
    "0 switches it off.",
    "attention_overdue_actions": "Open actions past their due date. 0 switches it off.",
    "stalled_overdue_actions": "Must be more than the count for “needs attention”. "
    "0 switches it off.",
    "days_without_plan_progress": "No action of the active plan done (and the plan not newly "
    "accepted) for this long; for a complete plan (every goal achieved or every action done), "
    "this long without a next plan. 0 switches it off.",
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
