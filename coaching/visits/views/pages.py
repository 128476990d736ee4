"""Visit pages: the list, a visit's own page, its history, and cancelling a planned visit. The
forms that log, complete and plan visits are in record.py, editing one in edit.py.

The access rule, as for practices and plans: a visit of a practice the person may not see
answers 404 (the same as one that does not exist); an action they may see but not take answers
403. Only the coach who made a visit changes it, and only while they may still log visits for
its practice (VISIT_LOG there).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, ListView, TemplateView

from coaching.visits import selectors, services
from coaching.visits.filters import VisitFilter
from coaching.visits.forms import VisitCancelForm
from coaching.visits.models import Visit, VisitStatus
from psp.forms import add_service_errors
from psp.history.models import SubjectType
from psp.history.views import HistoryPageMixin
from psp.tenancy.pages import ProgramPageMixin, ResultsPageMixin
from psp.tenancy.permissions import Capability

VIEW, LOG = Capability.VISIT_VIEW, Capability.VISIT_LOG
SAVED_DRAFT = "visits:saved_draft"  # session key: the draft the last save made obsolete


def draft_key(request, form_name: str) -> str:
    """Where the browser keeps the unsaved draft of one form of one person in one program."""
    return f"psp:visit-draft:{request.user.pk}:{request.program.slug}:{form_name}"


def remember_saved_draft(request, form_name: str, submission_key=None) -> None:
    """The next page tells the browser to drop this form's draft: the server has it now."""
    request.session[SAVED_DRAFT] = {
        "key": draft_key(request, form_name),
        "submission": str(submission_key or ""),
    }


class VisitPageMixin(ProgramPageMixin):
    """A page about one visit: 404 unless the person may see its practice's visits, 403 unless
    `capability` reaches the practice (and, with `own_only`, the visit is the person's own).
    Sets `self.visit`."""

    model = Visit
    capability = VIEW
    own_only = False

    def get_visit(self) -> Visit:
        return selectors.visit_in_reach(access=self.access, pk=self.kwargs["pk"])

    def check_access(self) -> None:
        try:
            self.visit = self.get_visit()
        except Visit.DoesNotExist:
            raise Http404("No such visit.") from None
        if not self.access.can(self.capability, self.visit.practice_id):
            raise PermissionDenied("Your role does not allow this for this practice.")
        if self.own_only and self.visit.coach_id != self.request.user.pk:
            raise PermissionDenied("Only the coach who made this visit can change it.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["visit"] = self.visit
        context["practice"] = self.visit.practice
        return context


def visit_abilities(visit: Visit, *, access, user) -> dict:
    """What the person may do with a visit: only its own coach, still logging for its practice."""
    own = visit.coach_id == user.pk and access.can(LOG, visit.practice_id)
    return {
        "edit": own and visit.status != VisitStatus.CANCELLED,
        "complete": own and visit.status == VisitStatus.PLANNED,
        "cancel": own and visit.status == VisitStatus.PLANNED,
    }


# The list -----------------------------------------------------------------------------------


class VisitListView(ResultsPageMixin, ProgramPageMixin, ListView):
    capability = VIEW
    model = Visit
    template_name = "coaching/visits/visit_list.html"
    results_template = "coaching/visits/_visit_results.html"
    context_object_name = "visits"
    paginate_by = 25

    def get_queryset(self):
        access = self.access
        chooses_coach = access.is_admin or access.is_manager  # others see their own practices
        self.filters = VisitFilter.for_page(
            self.request,
            selectors.visit_list(access=access),
            hidden=("search",) if chooses_coach else ("search", "coach"),
        )
        return self.filters.filtered()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filters=self.filters,
            filter_form=self.filters.form,
            is_filtered=self.filters.is_filtered,
            can_log=self.access.can(LOG),
        )
        return context


# One visit ----------------------------------------------------------------------------------


class VisitDetailView(VisitPageMixin, TemplateView):
    """Everything logged about a visit. Feedback answers are never shown here: they are
    anonymous, and a visit's page would tie them to the few people who attended."""

    template_name = "coaching/visits/visit_detail.html"

    def get_visit(self) -> Visit:
        return selectors.visit_detail(access=self.access, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visit = self.visit
        context.update(
            can=visit_abilities(visit, access=self.access, user=self.request.user),
            activities=selectors.activity_rows(visit),
            saved_draft=self.request.session.pop(SAVED_DRAFT, None),
        )
        return context


class VisitHistoryView(VisitPageMixin, HistoryPageMixin, TemplateView):
    """Who changed the visit after its day, when, why, and each field from what to what,
    newest first (the one history, as for plans and rounds)."""

    template_name = "history/visit_history.html"
    history_subject_type = SubjectType.VISIT

    def history_subject_id(self) -> int:
        return self.visit.pk


class VisitCancelView(VisitPageMixin, FormView):
    capability = LOG
    own_only = True
    form_class = VisitCancelForm
    template_name = "coaching/visits/visit_cancel.html"

    def get(self, request, *args, **kwargs):
        if self.visit.status != VisitStatus.PLANNED:
            messages.warning(request, "Only a planned visit can be cancelled.")
            return redirect(self.visit)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.visit_cancel(
                program=self.request.program,
                by=self.request.user,
                visit=self.visit,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The visit is cancelled.")
        return redirect(self.visit)
