"""The parameters of the compliance documents, read from the request's query string (so the
overview's link asks for the status with its filters) and stored on the report as JSON.

The reports app makes a form as `Form(data, access=access)`: `access` limits the practices
offered to those report.practice reaches for the person (a coach's, a lead's own); without it
(a subscription made again by the worker) every practice of the program in scope is offered.
Another program's practice or template is never among the choices: its id is not found.
"""

from datetime import date, timedelta

from django import forms

from compliance.checklists.models import ChecklistTemplate
from practices.models import Practice
from psp.forms_fields import BoundedDateField, ObjectChoiceField
from psp.tenancy.models import Sector
from psp.tenancy.permissions import Capability

NOT_FOUND = "No such practice in this program, or not one you may report on."


class PracticeComplianceForm(forms.Form):
    practice = ObjectChoiceField(
        label="Practice",
        error_messages={"invalid_choice": NOT_FOUND, "required": "Choose a practice."},
    )
    date_from = BoundedDateField(
        label="Sign-offs from", required=False, help_text="Default: a year ago."
    )
    date_to = BoundedDateField(label="To", required=False, help_text="Default: today.")

    def __init__(self, data=None, *, access=None, **kwargs):
        super().__init__(data, **kwargs)
        self.access = access
        practices = Practice.objects.order_by("name", "pk").only("pk", "name")
        if access is not None:
            practices = practices.filter(access.practice_filter(Capability.REPORT_PRACTICE))
        asked = str((data or {}).get("practice") or "")
        if asked:  # a link from a practice's page: read that one practice, not the program
            practices = practices.filter(pk=int(asked)) if asked.isdigit() else practices.none()
        self.fields["practice"].set_objects(practices, label_from=lambda p: p.name)

    def clean(self):
        data = super().clean()
        today = self.access.program.local_today() if self.access is not None else date.today()
        if not self.errors.get("date_to") and data.get("date_to") is None:
            data["date_to"] = today
        if not self.errors.get("date_from") and data.get("date_from") is None:
            data["date_from"] = data.get("date_to", today) - timedelta(days=365)
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end comes before the start.")
        return data


class ProgramComplianceForm(forms.Form):
    sector = forms.ChoiceField(
        label="Sector", required=False, choices=[("", "All sectors"), *Sector.choices]
    )
    template = ObjectChoiceField(
        label="Checklist",
        required=False,
        empty_label="All checklists",
        error_messages={"invalid_choice": "No such checklist template in this program."},
    )

    def __init__(self, data=None, *, access=None, **kwargs):
        super().__init__(data, **kwargs)
        self.access = access
        self.fields["template"].set_objects(
            ChecklistTemplate.objects.order_by("name", "pk").only("pk", "name"),
            label_from=lambda t: t.name,
            empty_label="All checklists",
        )


def practice_params(form: PracticeComplianceForm) -> dict:
    data = form.cleaned_data
    return {
        "practice": data["practice"].pk,
        "date_from": data["date_from"].isoformat(),
        "date_to": data["date_to"].isoformat(),
    }


def program_params(form: ProgramComplianceForm) -> dict:
    data = form.cleaned_data
    template = data.get("template")
    return {"sector": data.get("sector") or "", "template": template.pk if template else None}
