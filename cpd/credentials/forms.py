"""The parameters of a CPD transcript or certificate: the cycle it is of. The reports app makes
the form as `Form(data, access=access)` (psp/reports/registry.py): the cycles offered are those
the person may ask about (cpd/credentials/selectors.py), their own when the link names none; a
link from a cycle's heading (?cycle=<id>) names one. A certificate also needs the cycle's
requirements met, and says what is missing otherwise."""

from django import forms
from django.utils import timezone

from cpd.credentials import selectors
from cpd.schemes.models import CpdCycle
from psp.dates import write_date
from psp.forms_fields import ObjectChoiceField

NOT_FOUND = "No such CPD cycle, or not one you may ask for."


def cycle_label(cycle: CpdCycle) -> str:
    person = cycle.person.full_name or cycle.person.email
    dates = f"{write_date(cycle.starts_on)} – {write_date(cycle.ends_on)}"
    return f"{person} · {cycle.scheme.name} · {dates}"


class CycleDocumentForm(forms.Form):
    cycle = ObjectChoiceField(
        label="CPD cycle",
        error_messages={"invalid_choice": NOT_FOUND, "required": "Choose a CPD cycle."},
    )

    def __init__(self, data=None, *, access=None, **kwargs):
        super().__init__(data, **kwargs)
        self.access = access
        if access is not None:
            cycles = selectors.cycles_in_reach(access=access)
        else:  # the worker: every cycle of the program in scope
            cycles = CpdCycle.objects.select_related("person", "scheme", "version")
        asked = str((data or {}).get("cycle") or (kwargs.get("initial") or {}).get("cycle") or "")
        if asked:  # a link from a cycle's heading: that cycle alone
            cycles = cycles.filter(pk=int(asked)) if asked.isdigit() else cycles.none()
        elif access is not None:
            cycles = cycles.filter(person=access.user)
        self.fields["cycle"].set_objects(cycles, label_from=cycle_label)

    def today(self):
        if self.access is not None:
            return self.access.program.local_today()
        return timezone.localdate()


class TranscriptForm(CycleDocumentForm):
    pass


class CertificateForm(CycleDocumentForm):
    def clean_cycle(self):
        cycle = self.cleaned_data["cycle"]
        if cycle is None:
            return cycle
        found = selectors.standing(cycle, today=self.today())
        if not found.progress.is_met:
            raise forms.ValidationError(not_met_message(found.progress), code="not_met")
        return cycle


def not_met_message(progress) -> str:
    """Why there is no certificate yet, naming what is still missing."""
    missing = [r for r in progress.requirements if not r.met]
    shown = ", ".join(
        f"{_number(r.missing)} {progress.unit} in {r.label.lower()}" for r in missing[:4]
    )
    more = f" and {len(missing) - 4} more" if len(missing) > 4 else ""
    return (
        "A certificate is made once the cycle's requirements are met, and this cycle's are "
        f"not yet: still missing {shown}{more}."
    )


def _number(value) -> str:
    return f"{value.normalize():f}"


def cycle_params(form: CycleDocumentForm) -> dict:
    return {"cycle": form.cleaned_data["cycle"].pk}
