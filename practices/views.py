"""Practice pages: the list, a practice's own page, adding and editing a practice.

The access rule for every page in this app: a practice the person may not see answers 404 (the
same as one that does not exist); an action they may see but not take answers 403. The program
middleware has already put the program in scope and 404ed non-members, so views never filter by
program themselves: they go through the scoped managers and the selectors.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.generic import FormView, ListView, TemplateView, View

from practices import selectors, services
from practices.filters import PracticeFilter
from practices.forms import (
    CoachAssignForm,
    PracticeCreateForm,
    PracticeForm,
    StageMoveForm,
)
from practices.models import Practice, Stage
from psp.forms import add_service_errors
from psp.tenancy.pages import PracticePageMixin, ProgramPageMixin, ResultsPageMixin
from psp.tenancy.permissions import Capability


def stage_steps(current: str) -> list[dict]:
    """The seven stages for the progress indicator, each marked done, current or to do."""
    position = Stage.position(current)
    return [
        {
            "value": value,
            "label": label,
            "position": i,
            "state": "done" if i < position else "current" if i == position else "todo",
        }
        for i, (value, label) in enumerate(Stage.choices, start=1)
    ]


class PracticeListView(ResultsPageMixin, ProgramPageMixin, ListView):
    capability = Capability.PRACTICE_VIEW
    template_name = "practices/practice_list.html"
    results_template = "practices/_practice_results.html"
    context_object_name = "practices"
    paginate_by = 25

    def get_queryset(self):
        chooses_coach = self.access.is_admin or self.access.is_manager
        self.filters = PracticeFilter.for_page(
            self.request,
            selectors.practice_list(access=self.access),
            hidden=() if chooses_coach else ("coach",),
        )
        return self.filters.filtered()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access = self.access
        if access.is_coach:
            title = "My caseload"
        elif access.is_practice_member:
            title = "My practice" if context["paginator"].count == 1 else "My practices"
        else:
            title = "Practices"
        context.update(
            title=title,
            filters=self.filters,
            filter_form=self.filters.form,
            is_filtered=self.filters.is_filtered,
            can_create=access.can(Capability.PRACTICE_CREATE),
        )
        return context


class PracticeDetailView(PracticePageMixin, TemplateView):
    template_name = "practices/practice_detail.html"

    def get_practice(self) -> Practice:
        return selectors.practice_detail(access=self.access, pk=self.kwargs[self.practice_kwarg])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practice, access = self.practice, self.access
        can = {
            "edit": access.can(Capability.PRACTICE_EDIT, practice.pk),
            "move": access.can(Capability.PRACTICE_MOVE_STAGE, practice.pk),
            "assign": access.can(Capability.PRACTICE_ASSIGN_COACH, practice.pk),
            "remove_members": access.can(Capability.PRACTICE_INVITE_STAFF, practice.pk),
        }
        context["can"] = can
        context["stage_steps"] = stage_steps(practice.stage)
        if can["move"]:
            context["stage_form"] = StageMoveForm(practice=practice)
        if can["assign"]:
            context["coach_form"] = CoachAssignForm(practice=practice)
        return context


class PracticeCreateView(ProgramPageMixin, FormView):
    capability = Capability.PRACTICE_CREATE
    form_class = PracticeCreateForm
    template_name = "practices/practice_form.html"

    def form_valid(self, form):
        try:
            practice = services.practice_create(
                program=self.request.program, by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{practice.name} has joined the program.")
        return redirect(practice)


class PracticeEditView(PracticePageMixin, FormView):
    capability = Capability.PRACTICE_EDIT
    form_class = PracticeForm
    template_name = "practices/practice_form.html"

    def get_initial(self):
        return model_to_dict(self.practice, fields=services.PROFILE_FIELDS)

    def form_valid(self, form):
        try:
            practice = services.practice_update(
                program=self.request.program,
                practice=self.practice,
                by=self.request.user,
                data=form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"The profile of {practice.name} is saved.")
        return redirect(practice)


# The matches of a practice search box -----------------------------------------------------------

# The capabilities a practice filter looks its practices up with (practices/filters.py): the
# matches offered are those the filter itself takes.
OPTION_CAPABILITIES = {
    capability.value: capability
    for capability in (
        Capability.PRACTICE_VIEW,
        Capability.ASSESSMENT_VIEW,
        Capability.PLAN_VIEW,
        Capability.VISIT_VIEW,
    )
}


class PracticeOptionsView(ProgramPageMixin, View):
    """The practices a search box offers as the person types (psp.widgets.ObjectChoice): at
    most 20 (selectors.OPTIONS_SHOWN) whose name contains the words of `practice_name`, among
    those `capability` (one of OPTION_CAPABILITIES; practice.view when not given) reaches for
    the person. Another program's practices are never among them."""

    capability = Capability.PRACTICE_VIEW

    def get(self, request, *args, **kwargs):
        capability = OPTION_CAPABILITIES.get(request.GET.get("capability", ""), self.capability)
        if not self.access.can(capability):
            raise PermissionDenied("Your role does not allow this.")
        options = selectors.practice_options(
            access=self.access, capability=capability, text=request.GET.get("practice_name", "")
        )
        return TemplateResponse(request, "widgets/search_choice_options.html", {"options": options})
