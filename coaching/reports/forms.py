"""The parameters of the coaching documents, read from the request's query string (GET) so a
page's link can ask for the same report, and stored on the report as JSON (`params_from`).

The reports app makes a form as `Form(data, access=access)`: `access` (the requester's
ProgramAccess) limits the practices offered to those the document's capability reaches for
them; without it (a subscription made again by the worker) every practice of the program in
scope is offered. Another program's practice is never among the choices, so its id is refused
as not found.
"""

from datetime import date

from django import forms

from coaching.caseload.dose import last_twelve_months, period_errors
from coaching.reports import selectors
from practices.models import Practice, Stage
from practices.selectors import program_coaches
from psp.forms_fields import BoundedDateField, ObjectChoiceField, person_label
from psp.tenancy.models import Sector
from psp.tenancy.permissions import Capability

NOT_FOUND = "No such practice in this program, or not one you may report on."


class PeriodForm(forms.Form):
    """From and to dates; both default to the last twelve months."""

    date_from = BoundedDateField(label="From", required=False)
    date_to = BoundedDateField(label="To", required=False)

    def __init__(self, data=None, *, access=None, **kwargs):
        super().__init__(data, **kwargs)
        self.access = access

    def clean(self):
        data = super().clean()
        # The program's today, not the server's: the period ends on the day its people live in.
        today = self.access.program.local_today() if self.access is not None else None
        default_from, default_to = last_twelve_months(today)
        if not self.errors.get("date_from") and data.get("date_from") is None:
            data["date_from"] = default_from
        if not self.errors.get("date_to") and data.get("date_to") is None:
            data["date_to"] = default_to
        for name, message in period_errors(data.get("date_from"), data.get("date_to")).items():
            self.add_error(name, message)
        return data


class PracticeCardForm(PeriodForm):
    practice = ObjectChoiceField(
        label="Practice",
        error_messages={"invalid_choice": NOT_FOUND, "required": "Choose a practice."},
    )

    field_order = ["practice", "date_from", "date_to"]

    def __init__(self, data=None, *, access=None, **kwargs):
        super().__init__(data, access=access, **kwargs)
        practices = Practice.objects.order_by("name", "pk").only("pk", "name")
        if access is not None:
            practices = practices.filter(access.practice_filter(Capability.REPORT_PRACTICE))
        asked = str((data or {}).get("practice") or "")
        if asked:  # a link from a practice's page: read that one practice, not the program
            practices = practices.filter(pk=int(asked)) if asked.isdigit() else practices.none()
        self.fields["practice"].set_objects(practices, label_from=lambda p: p.name)


class ProgramReportForm(PeriodForm):
    sector = forms.ChoiceField(
        label="Sector", required=False, choices=[("", "All sectors"), *Sector.choices]
    )
    region = forms.ChoiceField(label="Region", required=False)
    coach = ObjectChoiceField(label="Coach", required=False, empty_label="All coaches")
    stage = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "All stages"), *Stage.choices]
    )

    def __init__(self, data=None, *, access=None, **kwargs):
        super().__init__(data, access=access, **kwargs)
        self.fields["region"].choices = [("", "All regions")] + [
            (name, name) for name in selectors.regions()
        ]
        self.fields["coach"].set_objects(
            program_coaches(), label_from=person_label, empty_label="All coaches"
        )


def card_params(form: PracticeCardForm) -> dict:
    data = form.cleaned_data
    return {
        "practice": data["practice"].pk,
        "date_from": data["date_from"].isoformat(),
        "date_to": data["date_to"].isoformat(),
    }


def program_params(form: ProgramReportForm) -> dict:
    data = form.cleaned_data
    return {
        "date_from": data["date_from"].isoformat(),
        "date_to": data["date_to"].isoformat(),
        "sector": data.get("sector") or "",
        "region": data.get("region") or "",
        "coach": data["coach"].pk if data.get("coach") else None,
        "stage": data.get("stage") or "",
    }


def period_of(params: dict) -> tuple[date, date]:
    return date.fromisoformat(params["date_from"]), date.fromisoformat(params["date_to"])
