"""Action follow-up pages: the actions of a practice and of a person (plan and visit actions in
one list: "my actions"), an action's own page with its history, and moving an action along (from
these pages and from the plan page alike).

The access rule, as for plans: an action of a practice whose plans the person may not see
answers 404 (the same as one that does not exist); moving one without ACTION_UPDATE on its
practice answers 403. The status form answers htmx with the action's row alone (the same row
the plan page and the lists show), so the person stays where they were in a long page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, ListView, TemplateView

from coaching.actions import selectors, services
from coaching.actions.filters import PlanActionFilter
from coaching.actions.forms import ActionStatusForm
from coaching.actions.models import PlanAction
from coaching.actions.rows import decorate
from coaching.plans import selectors as plan_selectors
from practices.models import Practice
from psp.forms import add_service_errors
from psp.forms_fields import person_label
from psp.history.models import SubjectType
from psp.history.views import HistoryPageMixin
from psp.tenancy.pages import ProgramPageMixin, ResultsPageMixin
from psp.tenancy.permissions import Capability

VIEW, EDIT, UPDATE = Capability.PLAN_VIEW, Capability.PLAN_EDIT, Capability.ACTION_UPDATE
# Filters the lists take (as the API does) without showing them: the lists are of practices and
# people, so a link may name a plan, goal or visit, but nobody picks one above the list.
PAGE_HIDDEN = ("practice", "practice_name", "plan", "goal", "visit", "plan_status", "search")


def safe_next(request, fallback: str) -> str:
    """The page to go back to after a plain (non-htmx) post: `next` if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=False
    )
    return target if safe and target.startswith("/") else fallback


# The lists ---------------------------------------------------------------------------------


class ActionListView(ResultsPageMixin, ProgramPageMixin, ListView):
    """One list of plan and visit actions, filtered by status (open or in progress unless
    chosen), owner, source and overdue (PlanActionFilter, as GET …/plan-actions/ is); paginated;
    each row movable in place."""

    capability = VIEW
    template_name = "coaching/actions/list.html"
    results_template = "coaching/actions/_results.html"
    context_object_name = "actions"
    paginate_by = 25
    show_practice = True
    owner_empty_label = "Anyone"

    def owner_choices(self):
        """People the owner filter offers, or None for no owner filter."""
        return None

    def fixed_filters(self) -> dict:
        """The filters the page itself sets (the practice)."""
        return {}

    def default_filters(self) -> dict:
        """The filters that apply when the query string does not name them."""
        return {"status": selectors.OPEN_ACTION_STATUSES}

    def get_queryset(self):
        self.today = timezone.localdate()
        owners = self.owner_choices()
        self.filters = PlanActionFilter.for_page(
            self.request,
            selectors.followup_actions(access=self.access, statuses=(), today=self.today),
            fixed=self.fixed_filters(),
            defaults=self.default_filters(),
            hidden=PAGE_HIDDEN + (() if owners is not None else ("owner",)),
            options={"owner": owners} if owners is not None else None,
        )
        if owners is not None:
            self.filters.form.fields["owner"].widget.empty_label = self.owner_empty_label
        self.chosen_owner = self.filters.cleaned.get("owner")
        self.filtered = self.narrowed(self.filters).filtered()
        return self.filtered

    def narrowed(self, filters):
        """The filters, with what the page itself adds to them."""
        return filters

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for action in context["actions"]:
            decorate(action, access=self.access, today=self.today)
        context.update(
            filters=self.filters,
            filter_form=self.filters.form,
            is_filtered=self.filters.is_filtered,
            overdue_count=selectors.overdue_count(self.filtered, self.today),
            show_practice=self.show_practice,
            back=self.request.get_full_path(),
        )
        return context


class PracticeActionListView(ActionListView):
    """A practice's actions: those of its active plan and those agreed at its visits."""

    show_practice = False

    def check_access(self) -> None:
        super().check_access()
        try:
            self.practice = Practice.objects.filter(self.access.practice_filter(VIEW)).get(
                pk=self.kwargs["practice_pk"]
            )
        except Practice.DoesNotExist:
            raise Http404("No such practice.") from None

    def owner_choices(self):
        return selectors.action_owners(access=self.access, practice_id=self.practice.pk)

    def fixed_filters(self) -> dict:
        return {"practice": self.practice.pk}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            practice=self.practice, title=f"Actions of {self.practice.name}", **kwargs
        )


class MyActionListView(ActionListView):
    """The signed-in person's actions across the practices they may see. Admins, managers and
    coaches may look at someone else's list instead (the owner filter, "Me" when none is
    chosen); for practice people the list is always their own."""

    owner_empty_label = "Me"

    def chooses_owner(self) -> bool:
        access = self.access
        return access.is_admin or access.is_manager or access.is_coach

    def owner_choices(self):
        if self.chooses_owner():
            return selectors.action_owners(access=self.access).exclude(pk=self.request.user.pk)
        return None

    def fixed_filters(self) -> dict:
        return {} if self.chooses_owner() else {"owner": self.request.user.pk}

    def narrowed(self, filters):
        if filters.cleaned.get("owner") is None:  # no one else chosen: mine
            filters.queryset = filters.queryset.filter(owner=self.request.user)
        return filters

    def get_context_data(self, **kwargs):
        owner = self.chosen_owner if self.chooses_owner() else None
        title = f"Actions of {person_label(owner)}" if owner else "My actions"
        return super().get_context_data(title=title, owner=owner, **kwargs)


# One action --------------------------------------------------------------------------------


class ActionPageMixin(ProgramPageMixin):
    """A page about one action (`pk`): 404 unless its practice's plans are in reach, 403
    unless `capability` reaches that practice. Sets `self.action`."""

    model = PlanAction
    capability = VIEW

    def get_action(self) -> PlanAction:
        return selectors.action_in_reach(access=self.access, pk=self.kwargs["pk"])

    def check_access(self) -> None:
        try:
            self.action = self.get_action()
        except PlanAction.DoesNotExist:
            raise Http404("No such action.") from None
        if not self.access.can(self.capability, self.action.practice_id):
            raise PermissionDenied("Your role does not allow this for this practice.")


class ActionDetailView(ActionPageMixin, HistoryPageMixin, TemplateView):
    """An action, where it came from, and its history: who did what, when, and why (the one
    history: its creation and status moves, and its plan's lines about it)."""

    template_name = "coaching/actions/detail.html"
    history_subject_type = SubjectType.ACTION

    def get_action(self) -> PlanAction:
        return selectors.action_detail(access=self.access, pk=self.kwargs["pk"])

    def history_subject_id(self) -> int:
        return self.action.pk

    def get_context_data(self, **kwargs):
        action = decorate(self.action, access=self.access)
        return super().get_context_data(
            action=action,
            practice=action.practice,
            back=self.request.path,
            **kwargs,
        )


class ActionStatusView(ActionPageMixin, FormView):
    """Move an action along: the one place it is done, from the plan page (the action under its
    goal) and from the follow-up lists alike. htmx posts get the action's row back
    (coaching/actions/_row.html, the row those pages show), with the errors in it when the
    change was refused, and on the plan page the plan's progress swapped out of band. Plain
    posts (no JavaScript) return to `next`, else to the action's page; a refused one shows this
    page's own form with its errors."""

    capability = UPDATE
    form_class = ActionStatusForm
    template_name = "coaching/actions/status.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "auto_id": f"id_status{self.action.pk}_%s"}

    def get_initial(self):
        return {"status": self.action.status}

    def back_url(self) -> str:
        return safe_next(self.request, self.detail_url())

    def detail_url(self) -> str:
        return reverse(
            "actions:detail", kwargs={"program": self.request.program.slug, "pk": self.action.pk}
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action=self.action, practice=self.action.practice, back=self.back_url(), **kwargs
        )

    def form_valid(self, form):
        try:
            action = services.action_status_change(
                program=self.request.program,
                action=self.action,
                by=self.request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        message = f"“{action.title}” is now {action.get_status_display().lower()}."
        if self.request.htmx:
            fresh = selectors.action_in_reach(access=self.access, pk=action.pk)
            return self.row(fresh, saved=message)
        messages.success(self.request, message)
        return redirect(self.back_url())

    def form_invalid(self, form):
        if self.request.htmx:
            return self.row(self.action, form=form)
        return super().form_invalid(form)

    def row(self, action, *, form=None, saved=""):
        """The action's row as the page that posted shows it: on the plan page (`on_plan`) with
        its edit form for those who edit the plan and the plan's progress; in a person's list
        with its practice (`show_practice`)."""
        on_plan = self.request.POST.get("on_plan") == "1" and action.plan_id is not None
        plan = action.plan if on_plan else None
        owners = None
        if (
            on_plan
            and plan.status in plan_selectors.EDITABLE_PLAN_STATUSES
            and self.access.can(EDIT, action.practice_id)
        ):
            owners = list(selectors.owner_choices(practice=action.practice_id))
        decorate(action, access=self.access, form=form, plan=plan, owners=owners)
        # Errors show in the status form; an action that cannot move has no form to show them
        # in, so the row says why instead.
        problem = ""
        if form is not None and not action.can_move:
            problem = " ".join(message for errors in form.errors.values() for message in errors)
        context = {
            "action": action,
            "on_plan": on_plan,
            "show_practice": self.request.POST.get("show_practice") == "1",
            "back": self.back_url(),
            "saved": saved,
            "problem": problem,
            "progress_oob": plan_selectors.progress_of(plan_id=plan.pk) if on_plan else None,
        }
        return TemplateResponse(self.request, "coaching/actions/_row.html", context)
