"""The entry grid: a practice's entered KPIs × recent periods, each cell an input.

With JavaScript each cell saves itself when it changes (htmx posts it to `enter_cell`, which
answers with the cell: saved, or what was typed with the reason next to it). Without, the whole
grid is one form: saved whole, or shown again with every typed value and every reason.

Who: kpi.enter on the practice (its lead and staff, its coaches, the program's admins)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import TemplateView

from kpis.models import ValueOrigin
from kpis.values import selectors
from kpis.values.inputs import cell_entry, grid_entries, input_name, typed_cell
from kpis.values.periods import parse_period, period_label
from kpis.values.selectors import Cell, Row
from kpis.values.services import EntriesInvalid, kpi_values_save
from psp.numbers import parse_int
from psp.tenancy.pages import PracticePageMixin
from psp.tenancy.permissions import Capability

MAX_BACK = 120  # ten years of months


def periods_back(request) -> int:
    number = parse_int(request.GET.get("back") or request.POST.get("back") or "0")
    return min(number or 0, MAX_BACK)


def saved_message(plan) -> str:
    counts = plan.counts
    if not counts["new"] and not counts["updated"]:
        return "Nothing to save: the values are as they were."
    parts = [f"{counts['new']} new", f"{counts['updated']} changed"]
    return f"KPI values saved: {', '.join(parts)}."


class EntryPageMixin(PracticePageMixin):
    capability = Capability.KPI_ENTER
    practice_kwarg = "practice_pk"

    def urls(self) -> dict:
        kwargs = {"program": self.request.program.slug, "practice_pk": self.practice.pk}
        return {
            "enter_url": reverse("kpis:enter", kwargs=kwargs),
            "cell_url": reverse("kpis:enter_cell", kwargs=kwargs),
        }


class EntryGridView(EntryPageMixin, TemplateView):
    template_name = "kpis/values/enter.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        back = periods_back(self.request)
        tables = kwargs.get("tables") or selectors.entry_grid(practice=self.practice, back=back)
        context.update(
            self.urls(),
            tables=tables,
            back=back,
            earlier=back + 6,
            later=max(back - 6, 0),
            missing_total=sum(row.missing_count for t in tables for row in t.rows),
        )
        return context

    def post(self, request, *args, **kwargs):
        back = periods_back(request)
        tables = selectors.entry_grid(practice=self.practice, back=back)
        pairs = grid_entries(request.POST, tables, self.practice)
        try:
            plan = kpi_values_save(
                program=request.program,
                practice=self.practice,
                entries=[entry for _, entry in pairs],
                by=request.user,
                origin=ValueOrigin.ENTERED,
            )
        except EntriesInvalid as error:
            for problem in error.problems:
                pairs[problem.index][0].errors.append(problem.message)
            context = self.get_context_data(tables=tables, has_errors=True)
            return self.render_to_response(context)
        messages.success(request, saved_message(plan))
        url = self.urls()["enter_url"]
        return redirect(f"{url}?back={back}" if back else url)


class EntryCellView(EntryPageMixin, TemplateView):
    """One cell saved (htmx): POST `definition` (id), `period` (2026-03) and the cell's inputs;
    answers with the cell."""

    http_method_names = ["post"]
    template_name = "kpis/values/_cell.html"

    def post(self, request, *args, **kwargs):
        definition = selectors.grid_definition(
            practice=self.practice, pk=parse_int(request.POST.get("definition") or "") or 0
        )
        code = request.POST.get("period") or ""
        period = parse_period(code, definition.frequency) if definition else None
        if definition is None or period is None:
            raise Http404("No such KPI or period for this practice.")
        cell = Cell(
            period=period,
            code=code,
            label=period_label(period, definition.frequency),
            value=None,
            before_enrolment=False,
        )
        cell.typed = typed_cell(request.POST, definition, code)
        self.save(definition, cell)
        context = {**self.urls(), "row": Row(definition=definition, target=None, cells=[cell])}
        context.update(cell=cell, practice=self.practice)
        return TemplateResponse(request, self.template_name, context)

    def save(self, definition, cell: Cell) -> None:
        if not cell.typed:
            cell.errors.append("Blank: nothing saved. A value saved before stays as it was.")
            return
        entry = cell_entry(definition, self.practice, cell.code, cell.typed)
        try:
            plan = kpi_values_save(
                program=self.request.program,
                practice=self.practice,
                entries=[entry],
                by=self.request.user,
                origin=ValueOrigin.ENTERED,
            )
        except EntriesInvalid as error:
            cell.errors = [problem.message for problem in error.problems]
            return
        cell.value, cell.typed, cell.saved = plan.saved[0], {}, True


__all__ = ["EntryCellView", "EntryGridView", "input_name"]
