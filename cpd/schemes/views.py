"""CPD scheme pages for program admins under /p/<program>/cpd/schemes/: the list (with the
templates to load), one scheme with its rules in plain words, its versions and its people, the
templates page, writing a scheme by hand, editing its details and its rules. Who a scheme applies
to and the verifiers are in views_people.py.

Object kwargs follow the convention the isolation walk relies on: `pk` for the view's `model`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from cpd.schemes import describe, selectors, services
from cpd.schemes.filters import SchemeFilter
from cpd.schemes.forms import (
    CategoryFormSet,
    CreditRuleFormSet,
    RulesForm,
    SchemeDetailsForm,
    TemplateLoadForm,
    kept_forms,
    place_rules_errors,
    posted_category_choices,
    rules_initial,
)
from cpd.schemes.models import CpdScheme
from cpd.schemes.packs import available_templates
from cpd.schemes.rules import Rules
from psp.forms import add_service_errors
from psp.history.models import SubjectType
from psp.history.selectors import history_of
from psp.tenancy.models import Sector
from psp.tenancy.pages import ProgramPageMixin
from psp.tenancy.permissions import Capability

RECENT_CHANGES = 10
STARTER_RULES = {
    "unit": "credits",
    "cycle": {"years": 1, "start": "fixed", "fixed_month": 1, "fixed_day": 1},
    "required": {"total": 20, "per_year": None},
    "categories": [{"key": "general", "name": "General", "minimum": 0}],
    "credit_rules": [],
    "carry_over": None,
}


def schemes_url(name: str, program, **kwargs) -> str:
    return reverse(f"cpd_schemes:{name}", kwargs={"program": program.slug, **kwargs})


class SchemePageMixin(ProgramPageMixin):
    """A scheme setup page: program admins (cpd.define)."""

    capability = Capability.CPD_DEFINE

    def url(self, name: str, **kwargs) -> str:
        return schemes_url(name, self.request.program, **kwargs)


class OneSchemeMixin(SchemePageMixin):
    """A page about one scheme (`pk`): 404 when missing or another program's."""

    model = CpdScheme

    def check_access(self) -> None:
        super().check_access()
        try:
            self.object = selectors.scheme_list().get(pk=self.kwargs["pk"])
        except CpdScheme.DoesNotExist:
            raise Http404("No such scheme.") from None

    def get_context_data(self, **kwargs):
        return super().get_context_data(scheme=self.object, **kwargs)


class SchemeListView(SchemePageMixin, FormView):
    """The program's schemes, and the templates to load (Load posts here)."""

    template_name = "cpd/schemes/list.html"
    form_class = TemplateLoadForm

    def get_context_data(self, **kwargs):
        filters = SchemeFilter.for_page(self.request, selectors.scheme_list())
        schemes = list(filters.filtered())
        loaded = set(selectors.schemes_in_program().values_list("code", flat=True))
        for scheme in schemes:
            rules = scheme.current_version.rules if scheme.current_version else None
            scheme.summary = describe.summary(Rules.parse(rules)) if rules else ""
        templates = [(t, t.key in loaded, describe.summary(t.rules)) for t in available_templates()]
        return super().get_context_data(
            schemes=schemes, filters=filters, templates=templates, **kwargs
        )

    def form_valid(self, form):
        try:
            scheme, made = services.scheme_load_template(
                program=self.request.program,
                key=form.cleaned_data["template"],
                by=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if made:
            messages.success(self.request, f"“{scheme.name}” is loaded: check who it applies to.")
        else:
            messages.info(self.request, f"“{scheme.name}” is here already; it was left as it is.")
        return redirect(self.url("detail", pk=scheme.pk))


class TemplatesView(SchemeListView):
    """Every template with its rules in plain words, each with its Load button."""

    template_name = "cpd/schemes/templates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["templates"] = [
            (template, loaded, describe.describe(template.rules))
            for template, loaded, _ in context["templates"]
        ]
        return context


class SchemeDetailView(OneSchemeMixin, TemplateView):
    template_name = "cpd/schemes/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scheme = self.object
        rules = Rules.parse(scheme.current_version.rules) if scheme.current_version else None
        people = selectors.people_under(scheme=scheme)
        sectors = dict(Sector.choices)
        context.update(
            role_words=[services.ROLE_LABELS.get(r, r) for r in scheme.applies_to_roles],
            sector_words=[sectors.get(s, s) for s in scheme.applies_to_sectors],
            rules=rules,
            described=describe.describe(rules) if rules else None,
            versions=selectors.version_history(scheme=scheme),
            people=people[: selectors.PEOPLE_SHOWN],
            people_count=len(people),
            changes=list(
                history_of(subject_type=SubjectType.CPD_SCHEME, subject_id=scheme.pk)[
                    :RECENT_CHANGES
                ]
            ),
        )
        return context


class SchemeEditView(OneSchemeMixin, FormView):
    """The scheme's name, body, description and whether it is active; its code stays."""

    template_name = "cpd/schemes/edit.html"
    form_class = SchemeDetailsForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["code"].disabled = True
        return form

    def get_initial(self):
        return model_to_dict(
            self.object, fields=["name", "code", "body", "description", "is_active"]
        )

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in services.DETAIL_FIELDS}
        try:
            scheme = services.scheme_update(
                program=self.request.program, scheme=self.object, by=self.request.user, data=data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"“{scheme.name}” is saved.")
        return redirect(self.url("detail", pk=scheme.pk))


class RulesFormMixin:
    """The rules form with its category and credit rule rows, built from `initial_rules()` or
    the POST; `save(rules, note)` writes through a service."""

    template_name = "cpd/schemes/rules_form.html"

    def initial_rules(self) -> dict:
        raise NotImplementedError

    def forms(self, data=None, details=None):
        rules = self.initial_rules()
        main, categories, credit_rules = rules_initial(rules)
        choices = posted_category_choices(data, rules)
        return {
            "form": RulesForm(data, initial=main),
            "categories": CategoryFormSet(
                data,
                prefix="categories",
                initial=categories,
                form_kwargs={"category_choices": choices},
            ),
            "credit_rules": CreditRuleFormSet(
                data,
                prefix="credit_rules",
                initial=credit_rules,
                form_kwargs={"category_choices": choices},
            ),
            "details": details,
        }

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(**self.forms(details=self.details())))

    def details(self, data=None):
        return None

    def post(self, request, *args, **kwargs):
        parts = self.forms(request.POST, details=self.details(request.POST))
        form, categories, credit_rules = parts["form"], parts["categories"], parts["credit_rules"]
        valid = [form.is_valid(), categories.is_valid(), credit_rules.is_valid()]
        if parts["details"] is not None:
            valid.append(parts["details"].is_valid())
        if not all(valid):
            return self.render_to_response(self.get_context_data(**parts))
        kept_categories, kept_rules = kept_forms(categories), kept_forms(credit_rules)
        rules = form.rules_part() | {
            "categories": [row.entry() for row in kept_categories],
            "credit_rules": [row.entry() for row in kept_rules],
        }
        try:
            with transaction.atomic():
                return self.save(rules, form.cleaned_data.get("note", ""), parts["details"])
        except ValidationError as error:
            rules_errors, other = _split(error)
            if parts["details"] is not None:
                add_service_errors(parts["details"], ValidationError(other))
            else:
                rules_errors |= other
            place_rules_errors(
                ValidationError(rules_errors),
                form=form,
                categories=kept_categories,
                credit_rules=kept_rules,
            )
            return self.render_to_response(self.get_context_data(**parts))


def _split(error: ValidationError) -> tuple[dict, dict]:
    """A service's errors about the rules (`rules…`), and the others (the scheme's details)."""
    found = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    rules = {key: value for key, value in found.items() if key.startswith("rules")}
    return rules, {key: value for key, value in found.items() if key not in rules}


class SchemeRulesView(RulesFormMixin, OneSchemeMixin, TemplateView):
    """Change the rules: saving writes a new version; running cycles keep theirs."""

    def initial_rules(self) -> dict:
        version = self.object.current_version
        return version.rules if version else STARTER_RULES

    def save(self, rules, note, details):
        version = services.scheme_change_rules(
            program=self.request.program,
            scheme=self.object,
            by=self.request.user,
            rules=rules,
            note=note,
        )
        if version is None:
            messages.info(self.request, "The rules are as they were: no new version was written.")
        else:
            messages.success(
                self.request,
                f"Version {version.number} of the rules is saved. Cycles that start from now on "
                "follow it; cycles already running keep their version.",
            )
        return redirect(self.url("detail", pk=self.object.pk))


class SchemeCreateView(RulesFormMixin, SchemePageMixin, TemplateView):
    """A scheme written by hand: its details and its first rules."""

    def initial_rules(self) -> dict:
        return STARTER_RULES

    def details(self, data=None):
        return SchemeDetailsForm(data, prefix="scheme", initial={"is_active": True})

    def save(self, rules, note, details):
        data = details.cleaned_data
        scheme = services.scheme_create(
            program=self.request.program,
            by=self.request.user,
            code=data["code"],
            name=data["name"],
            body=data["body"],
            description=data["description"],
            rules=rules,
            note=note,
        )
        if not data["is_active"]:
            services.scheme_update(
                program=self.request.program,
                scheme=scheme,
                by=self.request.user,
                data={"is_active": False},
            )
        messages.success(self.request, f"“{scheme.name}” is saved: now choose who it applies to.")
        return redirect(self.url("applies_to", pk=scheme.pk))
