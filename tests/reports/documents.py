"""Stand-ins for the two documents the reports pages and their permission rows name
(`practice_card`, `program_report`), for a checkout where the apps that make them are not
there: the same codes, capabilities and subjects, with small forms of the same parameters
(a practice; a period) and one section each. Where the real documents are registered they are
used instead (ensure_documents registers nothing)."""

from django import forms
from django.utils.html import escape

from practices.models import Practice
from psp.forms_fields import BoundedDateField
from psp.reports import registry
from psp.reports.registry import Document, Section
from psp.tenancy.permissions import Capability


class _Period(forms.Form):
    date_from = BoundedDateField(label="From", required=False)
    date_to = BoundedDateField(label="To", required=False)

    def __init__(self, data=None, *, access=None, **kwargs):
        super().__init__(data, **kwargs)
        self.access = access


class CardForm(_Period):
    practice = forms.ModelChoiceField(queryset=Practice.objects.none(), label="Practice")
    field_order = ["practice", "date_from", "date_to"]

    def __init__(self, data=None, *, access=None, **kwargs):
        super().__init__(data, access=access, **kwargs)
        self.fields["practice"].queryset = Practice.objects.order_by("name")


def _dates(data) -> dict:
    return {
        name: data[name].isoformat() if data.get(name) else "" for name in ("date_from", "date_to")
    }


def card_params(form) -> dict:
    return {"practice": form.cleaned_data["practice"].pk, **_dates(form.cleaned_data)}


def program_params(form) -> dict:
    return _dates(form.cleaned_data)


def describe_card(program, params) -> str:
    name = Practice.objects.filter(pk=params["practice"]).values_list("name", flat=True).first()
    return name or "A practice no longer in the program"


def describe_program(program, params) -> str:
    period = f"{params.get('date_from') or '…'} – {params.get('date_to') or '…'}"
    return f"{program.name} · {period}"


def _build(describe):
    def build(program, params, *, progress):
        progress(0, 1)
        yield Section(html=f"<section><p>{escape(describe(program, params))}</p></section>")
        progress(1, 1)

    return build


PRACTICE_CARD = Document(
    code="practice_card",
    title="Practice report card",
    capability=Capability.REPORT_PRACTICE,
    subject="practice",
    form=CardForm,
    params_from=card_params,
    build=_build(describe_card),
    describe=describe_card,
)
PROGRAM_REPORT = Document(
    code="program_report",
    title="Program report",
    capability=Capability.REPORT_PROGRAM,
    subject="program",
    form=_Period,
    params_from=program_params,
    build=_build(describe_program),
    describe=describe_program,
    subscribable=True,
)


def ensure_documents() -> None:
    for document in (PRACTICE_CARD, PROGRAM_REPORT):
        try:
            registry.document(document.code)
        except KeyError:
            registry.register_document(document)
