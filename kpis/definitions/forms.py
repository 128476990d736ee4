"""The forms of the KPI definition pages. They check the shape of the input; the rules (a code
not taken, a range in order, a percent from 0 to 100, a computed KPI with a measure) are the
service's (services.py), shown beside their fields."""

from django import forms

from kpis.definitions.selectors import measure_choices
from kpis.models import KpiDefinition

FROM_MEASURE = ("", "The measure's (computed KPIs)")

HELP = {
    "measure": "For a computed KPI: the platform data it is computed from. Its unit, direction "
    "and aggregation are the measure's unless you choose others.",
    "sector": "Leave empty for a KPI every practice reports; else only that sector's practices.",
    "target": "The program's target; a practice can have its own on the KPI's targets page.",
    "min_value": "Values below this are refused when entered.",
    "max_value": "Values above this are refused when entered.",
}


class DefinitionForm(forms.ModelForm):
    class Meta:
        model = KpiDefinition
        fields = [
            "code",
            "name",
            "description",
            "source",
            "measure",
            "unit",
            "direction",
            "aggregation",
            "frequency",
            "sector",
            "target",
            "min_value",
            "max_value",
            "is_active",
        ]
        help_texts = HELP
        labels = {"is_active": "Active (shown on dashboards and for entering values)"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.initial.get("measure") or ""
        choices = measure_choices()
        if current and current not in dict(choices):
            choices.append((current, f"{current} (not available now)"))
        self.fields["measure"] = forms.ChoiceField(
            choices=[("", "None (an entered KPI)"), *choices],
            required=False,
            help_text=HELP["measure"],
        )
        for name in ("unit", "direction", "aggregation"):
            field = self.fields[name]
            field.required = False
            field.choices = [FROM_MEASURE, *[c for c in field.choices if c[0]]]
        for name in ("target", "min_value", "max_value"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "any"})

    def _post_clean(self):
        # The service validates the definition as a whole (with the program's other codes);
        # the ModelForm's own model validation would run before it, without that context.
        pass


class PracticeTargetForm(forms.Form):
    """One practice's own target: a number sets it, an empty box (or Clear) clears it."""

    practice = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    target = forms.DecimalField(required=False, max_digits=16, decimal_places=4, label="Own target")
    clear = forms.CharField(required=False, widget=forms.HiddenInput)


class PackLoadForm(forms.Form):
    pack = forms.SlugField(max_length=60)
