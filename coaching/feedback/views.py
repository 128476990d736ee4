"""Participant feedback pages: answering an invitation (its own person only) and the results
(FEEDBACK_RESULTS: admins and managers see every coach and the program, a coach their own
visits).

An invitation is its person's alone: anyone else, whatever their role, gets 404 for it, the
same answer as for one that does not exist. Results never name who answered.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from coaching.feedback import selectors, services
from coaching.feedback.forms import FeedbackForm
from coaching.feedback.models import FeedbackInvite
from psp.forms import add_service_errors
from psp.tenancy.pages import ProgramPageMixin
from psp.tenancy.permissions import Capability

THANKS = "Thank you for your feedback. It is stored without your name."


class FeedbackGiveView(ProgramPageMixin, FormView):
    """One invitation: the form while it is open; once answered or declined, a page that says
    so and accepts nothing more."""

    model = FeedbackInvite
    form_class = FeedbackForm
    template_name = "coaching/feedback/give.html"

    def check_access(self) -> None:
        try:
            self.invite = selectors.invite_of(user=self.request.user, pk=self.kwargs["pk"])
        except FeedbackInvite.DoesNotExist:
            raise Http404("No such feedback request.") from None

    @property
    def is_open(self) -> bool:
        return self.invite.answered_at is None and self.invite.declined_at is None

    def get_context_data(self, **kwargs):
        visit = self.invite.visit
        return super().get_context_data(
            invite=self.invite,
            visit=visit,
            practice=visit.practice,
            coach_name=visit.coach.get_full_name() if visit.coach else "your coach",
            is_open=self.is_open,
            threshold=selectors.MIN_ANSWERS,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.is_open:
            return self.render_to_response(self.get_context_data())
        if request.POST.get("decline"):
            return self.decline()
        return super().post(request, *args, **kwargs)

    def decline(self):
        try:
            services.feedback_decline(
                program=self.request.program, invite=self.invite, by=self.request.user
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(self.request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect(self.invite)
        messages.success(self.request, "No problem: you will not be asked about this visit again.")
        return redirect(self.invite)

    def form_valid(self, form):
        try:
            services.feedback_respond(
                program=self.request.program,
                invite=self.invite,
                by=self.request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # answered meanwhile (another tab)
                messages.info(self.request, " ".join(error.messages))
                return redirect(self.invite)
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, THANKS)
        return redirect(self.invite)


class FeedbackResultsView(ProgramPageMixin, TemplateView):
    capability = Capability.FEEDBACK_RESULTS
    template_name = "coaching/feedback/results.html"

    def get_context_data(self, **kwargs):
        results = selectors.feedback_results(access=self.access)
        return super().get_context_data(
            results=results,
            own_only=results.program is None,
            threshold=results.threshold,
            **kwargs,
        )
