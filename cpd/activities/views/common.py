"""What the CPD activity pages share: finding the activity (404 out of reach), the person's own
(403 for anyone else's) and the verifier's check (403), and running a service from a form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect

from cpd.activities import selectors
from cpd.activities.models import CpdActivity
from cpd.activities.reflection import answered
from psp.forms import add_service_errors
from psp.tenancy.pages import ProgramPageMixin
from psp.tenancy.permissions import Capability

RECORD, VIEW, DEFINE = Capability.CPD_RECORD, Capability.CPD_VIEW, Capability.CPD_DEFINE


class CpdPageMixin(ProgramPageMixin):
    """Every CPD page: the navigation's "Verify CPD" needs to know whether the person verifies
    (a query asked on CPD pages only, not on every page of the program)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cpd_verifier"] = selectors.can_verify(self.access)
        return context


class VerifierPageMixin(CpdPageMixin):
    """A page for verifiers: admins (cpd.verify) and people with a CpdVerifier row (else 403)."""

    capability = RECORD

    def check_access(self) -> None:
        super().check_access()
        if not selectors.can_verify(self.access):
            raise PermissionDenied("Only the program's admins and named verifiers verify CPD.")


class ActivityPageMixin(CpdPageMixin):
    """A page about one activity (`pk`): 404 unless the person may read it. `own_only` pages
    change it, which only its person does (403 for anyone else who reads it); `verifier_only`
    pages decide on it (403 for anyone but a verifier). Sets `self.activity`."""

    model = CpdActivity
    capability = RECORD
    own_only = False
    verifier_only = False

    def check_access(self) -> None:
        super().check_access()
        try:
            self.activity = selectors.activity_in_reach(access=self.access, pk=self.kwargs["pk"])
        except CpdActivity.DoesNotExist:
            raise Http404("No such activity.") from None
        if self.own_only and self.activity.person_id != self.request.user.pk:
            raise PermissionDenied("Only the person who recorded this activity can change it.")
        if self.verifier_only and not selectors.can_verify(self.access):
            raise PermissionDenied("Only the program's admins and named verifiers verify CPD.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["activity"] = self.activity
        context["reflection"] = answered(self.activity.activity_type, self.activity.reflection)
        return context


class ServiceFormMixin:
    """A form whose valid data goes to a service; its errors come back beside the fields."""

    success_message = ""

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except ValidationError as error:
            if hasattr(form, "add_service_errors"):
                form.add_service_errors(error)
            else:
                add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message(result))
        return redirect(self.success_target(result))

    def get_success_message(self, result) -> str:
        return self.success_message

    def success_target(self, result):
        return result

    def perform(self, form):
        raise NotImplementedError


def run_action(request, action, *, target, success: str):
    """A button that posts to a service (submit, confirm, verify): its message, then back."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(target)
    messages.success(request, success)
    return redirect(target)
