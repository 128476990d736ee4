"""Assignment pages for program admins, under /p/<program>/compliance/assignments/ (namespace
`compliance_templates`, with the templates): the list (filtered by template, active or not),
assigning a template, and ending an assignment.

The assign page reads the practice list's filters from its query string (a link from the
practice list keeps them), shows which practices they match, and assigns to each of them, to
one practice, to a sector or to every practice."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView, View

from compliance.checklists.models import ChecklistTemplate
from compliance.schedules import assignments, selectors
from compliance.schedules.filters import AssignmentFilter
from compliance.schedules.forms import EVERY, MATCHING, PRACTICE, SECTOR, AssignForm
from compliance.schedules.models import ChecklistAssignment
from practices.filters import PracticeFilter
from practices.selectors import practice_list
from psp.forms import add_service_errors
from psp.tenancy.pages import ProgramPageMixin
from psp.tenancy.permissions import Capability

SHOWN_MATCHES = 50


class AssignmentPageMixin(ProgramPageMixin):
    capability = Capability.COMPLIANCE_DEFINE

    def url(self, name: str, **kwargs) -> str:
        kwargs = {"program": self.request.program.slug, **kwargs}
        return reverse(f"compliance_templates:{name}", kwargs=kwargs)


class AssignmentListView(AssignmentPageMixin, TemplateView):
    template_name = "compliance/schedules/list.html"

    def get_context_data(self, **kwargs):
        filters = AssignmentFilter.for_page(
            self.request, selectors.assignment_list(), defaults={"is_active": "true"}
        )
        return super().get_context_data(
            filters=filters, assignments=list(filters.filtered()), **kwargs
        )


def _words(result: assignments.Assigned) -> list[tuple[str, str]]:
    """The messages an assigning leaves: (level, text)."""
    found = []
    if result.made:
        n = len(result.made)
        made = result.instances
        text = f"{n} assignment{'s' * (n != 1)} made; {made} checklist{'s' * (made != 1)} made."
        found.append(("success", text))
    if result.already:
        n = len(result.already)
        found.append(("info", f"Already assigned, left as it was: {n} target{'s' * (n != 1)}."))
    if result.other_sector:
        names = ", ".join(p.name for p in result.other_sector[:5])
        found.append(("info", f"Left out, of another sector than the template's: {names}."))
    return found


class AssignView(AssignmentPageMixin, FormView):
    template_name = "compliance/schedules/assign.html"
    form_class = AssignForm

    def matching(self):
        if not hasattr(self, "_matching"):
            self._matching = PracticeFilter.for_page(
                self.request, practice_list(access=self.access)
            )
        return self._matching

    def get_form_kwargs(self):
        templates = ChecklistTemplate.objects.filter(
            is_active=True, current_version__isnull=False
        ).order_by("name", "pk")
        practices = practice_list(access=self.access)
        return {
            **super().get_form_kwargs(),
            "templates": list(templates),
            "practices": list(practices.only("pk", "name")),
        }

    def get_initial(self):
        return {
            "template": self.request.GET.get("template", ""),
            "target": MATCHING if self.matching().is_filtered else PRACTICE,
            "starts_on": self.request.program.local_today(),
        }

    def get_context_data(self, **kwargs):
        filters = self.matching()
        matched = list(filters.filtered()[: SHOWN_MATCHES + 1]) if filters.is_filtered else []
        return super().get_context_data(
            filters=filters,
            matched=matched[:SHOWN_MATCHES],
            matched_more=len(matched) > SHOWN_MATCHES,
            matched_count=filters.filtered().count() if filters.is_filtered else 0,
            **kwargs,
        )

    def form_valid(self, form):
        data, target = form.cleaned_data, form.cleaned_data["target"]
        options = {
            PRACTICE: {"practices": [data["practice"]]},
            SECTOR: {"sector": data["sector"]},
            EVERY: {"every_practice": True},
        }
        if target == MATCHING:
            filters = self.matching()
            if not filters.is_filtered or filters.error_list():
                form.add_error("target", "Choose filters above that match the practices first.")
                return self.form_invalid(form)
            options[MATCHING] = {"practices": list(filters.filtered())}
        try:
            result = assignments.checklist_assign(
                program=self.request.program,
                by=self.request.user,
                template=data["template"],
                starts_on=data["starts_on"],
                **options[target],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        for level, text in _words(result):
            getattr(messages, level)(self.request, text)
        return redirect(self.url("detail", pk=data["template"].pk))


class AssignmentEndView(AssignmentPageMixin, View):
    """End an assignment (POST): no new checklists are made under it."""

    model = ChecklistAssignment

    def check_access(self) -> None:
        super().check_access()
        try:
            self.object = ChecklistAssignment.objects.select_related("template").get(
                pk=self.kwargs["pk"]
            )
        except ChecklistAssignment.DoesNotExist:
            raise Http404("No such assignment.") from None

    def get(self, request, *args, **kwargs):
        return redirect(self.url("assignments"))

    def post(self, request, *args, **kwargs):
        try:
            assignments.assignment_deactivate(
                program=request.program, assignment=self.object, by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The assignment has ended: checklists made under it stay.")
        back = request.POST.get("next", "")
        # Only back to a page of this program: never an address someone slipped into the form.
        if not back.startswith(f"/p/{request.program.slug}/"):
            back = self.url("assignments")
        return redirect(back)
