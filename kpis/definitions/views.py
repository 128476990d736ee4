"""KPI definition pages under /p/<program>/kpis/definitions/: the list, one KPI with the plan
goals that name it and its recent history, creating and editing (admins), the packs we ship.
The per-practice targets page is in views_targets.py.

Object kwargs follow the convention the isolation walk relies on: `pk` for the view's `model`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from kpis.definitions import selectors, services
from kpis.definitions.filters import DefinitionFilter
from kpis.definitions.forms import DefinitionForm, PackLoadForm
from kpis.definitions.packs.services import pack_load, pack_plans
from kpis.models import KpiDefinition, Source
from psp.forms import add_service_errors
from psp.history.models import SubjectType
from psp.history.selectors import history_of
from psp.measures.registry import registry
from psp.tenancy.pages import ProgramPageMixin
from psp.tenancy.permissions import Capability

RECENT_CHANGES = 10


def kpis_url(name: str, program, **kwargs) -> str:
    return reverse(f"kpis:{name}", kwargs={"program": program.slug, **kwargs})


class KpiPageMixin(ProgramPageMixin):
    """A KPI definitions page: KPI_VIEW to read, KPI_DEFINE (admins) to change anything."""

    capability = Capability.KPI_VIEW

    def url(self, name: str, **kwargs) -> str:
        return kpis_url(name, self.request.program, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_define"] = self.access.can(Capability.KPI_DEFINE)
        return context


class DefinitionPageMixin(KpiPageMixin):
    """A page about one definition (`pk`): 404 when missing or another program's."""

    model = KpiDefinition

    def check_access(self) -> None:
        try:
            self.object = selectors.definition_list().get(pk=self.kwargs["pk"])
        except KpiDefinition.DoesNotExist:
            raise Http404("No such KPI.") from None
        super().check_access()

    def get_context_data(self, **kwargs):
        return super().get_context_data(definition=self.object, **kwargs)


class DefinitionListView(KpiPageMixin, TemplateView):
    """The program's KPIs, computed and entered apart, with how each is counted."""

    template_name = "kpis/definitions/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = DefinitionFilter.for_page(self.request, selectors.definition_list())
        definitions = list(filters.filtered())
        measures = {m.code: m for m in registry.all()}
        for definition in definitions:
            definition.measure_entry = measures.get(definition.measure)
        context.update(
            filters=filters,
            is_filtered=filters.is_filtered,
            groups=[
                (label, [d for d in definitions if d.source == source])
                for source, label in (
                    (Source.COMPUTED, "Computed from platform data"),
                    (Source.ENTERED, "Entered by practices and coaches"),
                )
            ],
            total=len(definitions),
        )
        return context


class DefinitionDetailView(DefinitionPageMixin, TemplateView):
    template_name = "kpis/definitions/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        definition = self.object
        goals = selectors.goals_naming(access=self.access, code=definition.code)
        context.update(
            measure=registry.get(definition.measure) if definition.measure else None,
            goals=list(goals[:50]),
            changes=list(
                history_of(subject_type=SubjectType.KPI, subject_id=definition.pk)[:RECENT_CHANGES]
            ),
        )
        return context


class DefinitionFormMixin:
    template_name = "kpis/definitions/form.html"
    form_class = DefinitionForm

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            definition = self.save(data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"“{definition.name}” is saved.")
        return redirect(self.url("definition", pk=definition.pk))


class DefinitionCreateView(DefinitionFormMixin, KpiPageMixin, FormView):
    capability = Capability.KPI_DEFINE

    def save(self, data):
        return services.definition_create(
            program=self.request.program, by=self.request.user, data=data
        )


class DefinitionEditView(DefinitionFormMixin, DefinitionPageMixin, FormView):
    capability = Capability.KPI_DEFINE

    def get_initial(self):
        return model_to_dict(self.object, fields=services.DEFINITION_FIELDS)

    def save(self, data):
        return services.definition_update(
            program=self.request.program, definition=self.object, by=self.request.user, data=data
        )


class PackListView(KpiPageMixin, FormView):
    """The KPI packs we ship, what loading each adds now, and the button that loads it."""

    capability = Capability.KPI_DEFINE
    template_name = "kpis/definitions/packs.html"
    form_class = PackLoadForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(plans=pack_plans(), **kwargs)

    def form_valid(self, form):
        try:
            plan = pack_load(
                program=self.request.program,
                pack_key=form.cleaned_data["pack"],
                by=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        added = len(plan.to_add)
        if added:
            text = f"{added} KPI{'s' if added != 1 else ''} added from “{plan.pack.name}”."
        else:
            text = f"“{plan.pack.name}” adds nothing new: its KPIs are already here."
        messages.success(self.request, text)
        return redirect(self.url("packs"))
