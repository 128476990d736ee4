"""One activity's page (status, verification, reflection, evidence, history) and the buttons on
it: the person confirms a draft, sends it for verification, deletes it; a verifier verifies it,
rejects it with a reason or asks for evidence. Each is a small form posting to a service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView, View

from cpd.activities import selectors, services
from cpd.activities.evidence import CODE, KIND
from cpd.activities.forms import EvidenceRequestForm, RejectForm
from cpd.activities.models import ActivityStatus
from cpd.activities.views.common import ActivityPageMixin, ServiceFormMixin, run_action
from psp.evidence.panel import evidence_panel, upload_form
from psp.evidence.selectors import files_of
from psp.forms import add_service_errors
from psp.history.models import SubjectType
from psp.history.views import HistoryPageMixin


class ActivityDetailView(HistoryPageMixin, ActivityPageMixin, TemplateView):
    template_name = "cpd/activity_detail.html"
    history_subject_type = SubjectType.CPD_ACTIVITY

    def history_subject_id(self) -> int:
        return self.activity.pk

    def get_context_data(self, evidence_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        activity, user = self.activity, self.request.user
        context["evidence"] = evidence_panel(
            access=self.access,
            subject_type=CODE,
            subject_id=activity.pk,
            next_url=activity.get_absolute_url(),
            form=evidence_form,
        )
        own = activity.person_id == user.pk
        decides = (
            not own
            and activity.status == ActivityStatus.SUBMITTED
            and selectors.can_verify(self.access)
        )
        context.update(
            own=own,
            can_edit=own and activity.status in selectors.EDITABLE,
            can_submit=own and activity.status in selectors.SUBMITTABLE,
            can_delete=own and activity.status in selectors.DELETABLE,
            decides=decides,
            reject_form=RejectForm(auto_id="id_reject_%s") if decides else None,
            evidence_form=EvidenceRequestForm(auto_id="id_evidence_%s") if decides else None,
            category_name=self._category_name(),
        )
        return context

    def _category_name(self) -> str:
        cycle = self.activity.cycle
        if cycle is None:
            return self.activity.category
        names = selectors.category_names([cycle]).get(cycle.pk, {})
        return names.get(self.activity.category, self.activity.category)


class EvidenceView(ActivityDetailView):
    """POST files for one's activity (its page's upload form): attached, all or none, and a
    verifier's request for evidence answered; refused files are named on the page."""

    own_only = True
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        attached = files_of(subject_type=CODE, subject_id=self.activity.pk).count()
        form = upload_form(KIND, self.activity.pk, attached=attached, data=request.POST,
                           files=request.FILES)  # fmt: skip
        if form.is_valid():
            try:
                rows = services.activity_evidence_attach(
                    program=request.program,
                    activity=self.activity,
                    by=request.user,
                    uploads=form.cleaned_data["files"],
                    label=form.cleaned_data["label"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                names = ", ".join(row.original_name for row in rows)
                messages.success(request, f"Added {names}.")
                return redirect(f"{self.activity.get_absolute_url()}#evidence")
        context = self.get_context_data(evidence_form=form)
        return self.render_to_response(context)


class _OwnAction(ActivityPageMixin, View):
    """A button of the person's own: POST only."""

    own_only = True
    http_method_names = ["post"]


class SubmitView(_OwnAction):
    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            lambda: services.activity_submit(
                program=request.program, activity=self.activity, by=request.user
            ),
            target=self.activity,
            success="The activity is sent for verification.",
        )


class ConfirmView(_OwnAction):
    """Confirm a draft: as self-reported, or (`submit`) sent for verification at once."""

    def post(self, request, *args, **kwargs):
        submit = "submit" in request.POST
        done = "sent for verification" if submit else "confirmed: it counts as self-reported"
        return run_action(
            request,
            lambda: services.activity_confirm(
                program=request.program, activity=self.activity, by=request.user, submit=submit
            ),
            target=_mine(request) if request.POST.get("next") == "mine" else self.activity,
            success=f"“{self.activity.title}” is {done}.",
        )


def _mine(request) -> str:
    return reverse("cpd:mine", kwargs={"program": request.program.slug})


class DeleteView(ActivityPageMixin, TemplateView):
    """GET asks, POST deletes (a draft or a self-reported activity)."""

    own_only = True
    template_name = "cpd/activity_delete.html"

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            lambda: services.activity_delete(
                program=request.program, activity=self.activity, by=request.user
            ),
            target=_mine(request),
            success=f"“{self.activity.title}” is deleted.",
        )


class VerifyView(ActivityPageMixin, View):
    verifier_only = True
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        return run_action(
            request,
            lambda: services.activity_verify(
                program=request.program, activity=self.activity, by=request.user
            ),
            target=_next_in_queue(request, self.activity),
            success=f"“{self.activity.title}” ({self.activity.person}) is verified.",
        )


def _next_in_queue(request, activity):
    """Back to the queue when the decision came from it, else to the activity."""
    if request.POST.get("next") == "queue":
        return reverse("cpd:queue", kwargs={"program": request.program.slug})
    return activity


class DecisionFormView(ServiceFormMixin, ActivityPageMixin, FormView):
    """Reject or ask for evidence: a reason is required, so a page of its own shows the form
    with its errors (the activity's page and the queue embed the same form)."""

    verifier_only = True
    template_name = "cpd/activity_decision.html"
    heading = button = ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "auto_id": f"id_{self.prefix_id}_%s"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, button=self.button, **kwargs)

    def success_target(self, activity):
        return _next_in_queue(self.request, activity)


class RejectView(DecisionFormView):
    form_class = RejectForm
    prefix_id = "reject"
    heading, button = "Reject the activity", "Reject"

    def perform(self, form):
        return services.activity_reject(
            program=self.request.program,
            activity=self.activity,
            by=self.request.user,
            reason=form.cleaned_data["reason"],
        )

    def get_success_message(self, activity) -> str:
        return f"“{activity.title}” is rejected; {activity.person} sees the reason on it."


class EvidenceRequestView(DecisionFormView):
    form_class = EvidenceRequestForm
    prefix_id = "evidence"
    heading, button = "Ask for evidence", "Ask for evidence"

    def perform(self, form):
        return services.activity_request_evidence(
            program=self.request.program,
            activity=self.activity,
            by=self.request.user,
            message=form.cleaned_data["message"],
        )

    def get_success_message(self, activity) -> str:
        return f"The request for evidence shows on “{activity.title}” for {activity.person}."
