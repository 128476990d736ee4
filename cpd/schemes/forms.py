"""The forms of the scheme pages. The rules form is a real form: the cycle and totals, then the
categories and the credit rules as rows (formsets). Together they build the rules document; the
rules' own checks (cpd/schemes/rules.py, through the service) come back by path and are put
beside the field they are about (`place_rules_errors`)."""

import re

from django import forms
from django.forms import formset_factory
from django.utils.dates import MONTHS

from cpd.activities.models import ActivityType
from cpd.schemes.models import CpdScheme
from cpd.schemes.packs import ROLES
from cpd.schemes.services import ROLE_LABELS
from psp.forms_fields import ObjectChoiceField, ObjectMultipleChoiceField, person_label
from psp.tenancy.models import Sector

DECIMAL = {"inputmode": "decimal", "step": "any"}
NUMBER = {"inputmode": "numeric"}
UNITS = [("credits", "Credits"), ("hours", "Hours")]
STARTS = [
    ("fixed", "On the same date every year (a reporting year)"),
    ("personal", "On each person's own start date"),
]
PER = [("hour", "per hour"), ("item", "per item (an article, an audit, a certificate)")]
# Where each part of the rules document is shown on the main form.
RULES_FIELDS = {
    "unit": "unit",
    "cycle": "cycle_years",
    "cycle.years": "cycle_years",
    "cycle.start": "cycle_start",
    "cycle.fixed_month": "fixed_month",
    "cycle.fixed_day": "fixed_day",
    "required": "total",
    "required.total": "total",
    "required.per_year": "per_year",
    "carry_over": "carry_over_max",
    "carry_over.max": "carry_over_max",
    "carry_over.from_last_years": "carry_over_years",
}
ROW_PATH = re.compile(r"^(categories|credit_rules)\[(\d+)\]\.?(\w*)$")


def _amount(label, *, required=False, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        help_text=help_text,
        widget=forms.NumberInput(attrs=DECIMAL),
    )


class RulesForm(forms.Form):
    unit = forms.ChoiceField(label="Counted in", choices=UNITS)
    cycle_years = forms.IntegerField(
        label="Cycle length in years",
        min_value=1,
        max_value=10,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    cycle_start = forms.ChoiceField(
        label="A cycle starts", choices=STARTS, widget=forms.RadioSelect
    )
    fixed_month = forms.TypedChoiceField(
        label="Reporting year starts in",
        choices=[("", "—"), *MONTHS.items()],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="For a fixed date only.",
    )
    fixed_day = forms.IntegerField(
        label="on day",
        min_value=1,
        max_value=31,
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    total = _amount("Required in a cycle", required=True)
    per_year = _amount(
        "At least this much every year", help_text="Leave empty for no yearly minimum."
    )
    carry_over_max = _amount(
        "Most that carries into the next cycle",
        help_text="Leave empty when nothing carries over.",
    )
    carry_over_years = forms.IntegerField(
        label="Counting what was earned in the cycle's last (years)",
        min_value=1,
        max_value=10,
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    note = forms.CharField(
        label="What changed and why",
        max_length=300,
        required=False,
        help_text="Shown with the new version; when empty, the changes are listed for you.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.group_errors: dict[str, list[str]] = {}  # about all categories or all credit rules

    def clean(self):
        data = super().clean()
        most, years = data.get("carry_over_max"), data.get("carry_over_years")
        if most and not years:
            self.add_error("carry_over_years", "Say from how many final years credits carry over.")
        if years and not most:
            self.add_error("carry_over_max", "Say how much at most carries over.")
        return data

    def rules_part(self) -> dict:
        data = self.cleaned_data
        cycle = {"years": data["cycle_years"], "start": data["cycle_start"]}
        if data["cycle_start"] == "fixed":
            cycle |= {"fixed_month": data.get("fixed_month"), "fixed_day": data.get("fixed_day")}
        most = data.get("carry_over_max")
        return {
            "unit": data["unit"],
            "cycle": cycle,
            "required": {
                "total": _number(data["total"]),
                "per_year": _number(data.get("per_year")),
            },
            "carry_over": (
                {"max": _number(most), "from_last_years": data["carry_over_years"]}
                if most
                else None
            ),
        }


def _number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class CategoryForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120)
    key = forms.SlugField(
        label="Key",
        max_length=60,
        help_text="Short and stable: activities are filed under it (e.g. certified).",
    )
    minimum = _amount("Minimum in a cycle")
    per_year_minimum = _amount("Minimum each year")
    parent = forms.ChoiceField(
        label="Part of",
        required=False,
        help_text="A sub-category's credits count towards the category it is part of too.",
    )

    def __init__(self, *args, category_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "No other category"), *category_choices]

    def entry(self) -> dict:
        data = self.cleaned_data
        entry = {
            "key": data["key"],
            "name": data["name"],
            "minimum": _number(data.get("minimum")) or 0,
        }
        if data.get("parent"):
            entry["parent"] = data["parent"]
        if data.get("per_year_minimum"):
            entry["per_year_minimum"] = _number(data["per_year_minimum"])
        return entry


class CreditRuleForm(forms.Form):
    activity_type = forms.ChoiceField(
        label="Activity type", choices=[("", "Choose a type"), *ActivityType.choices]
    )
    rate = forms.DecimalField(
        label="Earns",
        min_value=0,
        max_digits=7,
        decimal_places=2,
        widget=forms.NumberInput(attrs=DECIMAL),
    )
    per = forms.ChoiceField(label="Counted", choices=PER, initial="hour")
    category = forms.ChoiceField(label="Counts as")
    cap_per_cycle = _amount("At most, in a cycle", help_text="Leave empty for no cap.")

    def __init__(self, *args, category_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Choose a category"), *category_choices]

    def entry(self) -> dict:
        data = self.cleaned_data
        entry = {
            "activity_type": data["activity_type"],
            "per": data["per"],
            "rate": _number(data["rate"]),
            "category": data["category"],
        }
        if data.get("cap_per_cycle"):
            entry["cap_per_cycle"] = _number(data["cap_per_cycle"])
        return entry


CategoryFormSet = formset_factory(CategoryForm, extra=2, can_delete=True, max_num=30)
CreditRuleFormSet = formset_factory(CreditRuleForm, extra=3, can_delete=True, max_num=30)


def posted_category_choices(data, initial_rules: dict | None) -> list[tuple[str, str]]:
    """The categories the category and credit rule rows may name: those typed in the rows as
    sent (without the ones marked for removal), or the rules' own before anything is sent."""
    if data is None:
        categories = (initial_rules or {}).get("categories", [])
        return [(c["key"], c["name"]) for c in categories]
    choices = []
    try:
        total = int(data.get("categories-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        total = 0
    for index in range(min(total, 30)):
        key = (data.get(f"categories-{index}-key") or "").strip()
        name = (data.get(f"categories-{index}-name") or "").strip() or key
        if key and not data.get(f"categories-{index}-DELETE"):
            choices.append((key, name))
    return choices


def kept_forms(formset) -> list:
    """The rows kept, in order: those the rules had (unless marked for removal) and the spare
    rows something was typed in."""
    initial = formset.initial_form_count()
    removed = {id(form) for form in formset.deleted_forms}
    return [
        form
        for index, form in enumerate(formset.forms)
        if (index < initial or form.has_changed()) and id(form) not in removed
    ]


def place_rules_errors(error, *, form, categories, credit_rules) -> None:
    """Put each rules problem (keyed `rules.<path>`) beside the field or row it is about:
    `categories` and `credit_rules` are the kept rows, in the order they were sent."""
    for key, messages in error.message_dict.items():
        path = key.removeprefix("rules.") if key.startswith("rules") else key
        match = ROW_PATH.match(path)
        if match:
            rows = categories if match[1] == "categories" else credit_rules
            row = rows[int(match[2])]
            field = match[3] if match[3] in row.fields else None
            row.add_error(field, messages)
        elif path in ("categories", "credit_rules"):
            # About the rows as a whole: shown at the top of their group of rows.
            form.group_errors.setdefault(path, []).extend(messages)
        else:
            field = RULES_FIELDS.get(path, path)
            form.add_error(field if field in form.fields else None, messages)


def rules_initial(rules: dict) -> tuple[dict, list, list]:
    """The three forms' initial values from a rules document."""
    cycle, required = rules["cycle"], rules["required"]
    carry = rules.get("carry_over") or {}
    main = {
        "unit": rules["unit"],
        "cycle_years": cycle["years"],
        "cycle_start": cycle["start"],
        "fixed_month": cycle.get("fixed_month"),
        "fixed_day": cycle.get("fixed_day"),
        "total": required["total"],
        "per_year": required.get("per_year"),
        "carry_over_max": carry.get("max"),
        "carry_over_years": carry.get("from_last_years"),
    }
    return main, list(rules["categories"]), list(rules["credit_rules"])


class SchemeDetailsForm(forms.ModelForm):
    class Meta:
        model = CpdScheme
        fields = ["name", "code", "body", "description", "is_active"]
        labels = {"is_active": "Active (people can be under it)"}
        help_texts = {
            "body": "Whose rules these are, as your people name it.",
            "code": "Short and stable, e.g. family-medicine; it cannot change later.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        # The service checks the scheme whole (its code against the program's other schemes).
        pass


class AppliesToForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Roles",
        required=False,
        choices=[(role, ROLE_LABELS[role].capitalize()) for role in ROLES],
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.MultipleChoiceField(
        label="Only in these sectors",
        required=False,
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every sector. A practice role counts its practice's sector; a "
        "program role the program's.",
    )
    people = ObjectMultipleChoiceField(
        label="People chosen by hand",
        help_text="They are under this scheme whatever their role (before any other scheme).",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].set_objects([m.user for m in memberships], label_from=person_label)


class VerifierForm(forms.Form):
    user = ObjectChoiceField(label="Person", empty_label="Choose someone")

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].set_objects(
            [m.user for m in memberships], label_from=person_label, empty_label="Choose someone"
        )


class TemplateLoadForm(forms.Form):
    template = forms.SlugField(max_length=60)
