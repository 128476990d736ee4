"""One KPI's per-practice targets (admins): the practices, found by name, region or sector a
page at a time (a program may have 10,000), each with its own target to set or clear."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import ListView

from kpis.definitions import selectors, services
from kpis.definitions.filters import TargetPracticeFilter
from kpis.definitions.forms import PracticeTargetForm
from kpis.definitions.views import DefinitionPageMixin
from practices.selectors import practices_in_reach
from psp.forms import service_error_messages
from psp.tenancy.pages import ResultsPageMixin
from psp.tenancy.permissions import Capability


class DefinitionTargetsView(ResultsPageMixin, DefinitionPageMixin, ListView):
    capability = Capability.KPI_DEFINE
    template_name = "kpis/definitions/targets.html"
    results_template = "kpis/definitions/_targets_results.html"
    context_object_name = "practices"
    paginate_by = 25
    row_error: tuple[int, str, str] | None = None  # practice id, message, value typed

    def practices(self):
        return selectors.practices_with_targets(
            definition=self.object,
            practices=practices_in_reach(access=self.access, capability=Capability.PRACTICE_VIEW),
        )

    def get_queryset(self):
        self.filters = TargetPracticeFilter.for_page(self.request, self.practices())
        return self.filters.filtered().only("pk", "name", "region", "sector")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["practices"]
        own = selectors.own_targets(definition=self.object, practice_ids=[p.pk for p in page])
        for practice in page:
            practice.own_target = own.get(practice.pk)
        context.update(
            filters=self.filters,
            is_filtered=self.filters.is_filtered,
            row_error=self.row_error,
            query=self.request.GET.urlencode(),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = PracticeTargetForm(request.POST)
        form.is_valid()
        pk = form.cleaned_data.get("practice")
        practice = self.practices().filter(pk=pk).first() if pk else None
        if practice is None:
            messages.error(request, "Choose a practice of this program.")
            return redirect(request.get_full_path())
        if form.errors:
            return self.refused(practice, {"target": form.errors.get("target", [])})
        target = None if form.cleaned_data["clear"] else form.cleaned_data["target"]
        try:
            services.practice_target_set(
                program=request.program,
                definition=self.object,
                practice=practice,
                target=target,
                by=request.user,
            )
        except ValidationError as error:
            return self.refused(practice, service_error_messages(error, other="target"))
        messages.success(request, _saved(practice, target))
        return redirect(request.get_full_path())

    def refused(self, practice, errors):
        message = " ".join(errors.get("target", [])) or "Enter a number."
        self.row_error = (practice.pk, message, self.request.POST.get("target", ""))
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data())


def _saved(practice, target) -> str:
    if target is None:
        return f"{practice.name} follows the program's target again."
    return f"{practice.name}'s own target is now {Decimal(target).normalize():f}."
