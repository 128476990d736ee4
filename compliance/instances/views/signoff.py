"""Signing a completed checklist off (one signature per attesting role its items name) and
correcting a signed-off one as a new revision with a reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView

from compliance.checklists.models import Attester
from compliance.instances import selectors, services
from compliance.instances.forms import AttestForm, CorrectForm
from compliance.instances.models import InstanceStatus
from compliance.instances.views.checklist import ChecklistView
from compliance.instances.views.common import ChecklistPageMixin
from psp.forms import add_service_errors


class AttestView(ChecklistView):
    """POST attester, signed_name, agreed. Only someone who signs for the practice in one of
    the roles the checklist needs (its lead, or the person named for the role) may post (403
    for anyone else); a problem comes back beside the field on the checklist's page."""

    http_method_names = ["post"]

    def check_access(self) -> None:
        super().check_access()
        needed = selectors.attesters_needed(self.checklist)
        signers = selectors.attesters_for(self.checklist.practice_id)
        self.require(
            any(self.request.user.pk in signers.get(role, set()) for role in needed),
            "Only the practice's lead, or the person it named for the role, signs this off.",
        )

    def post(self, request, *args, **kwargs):
        checklist = self.checklist
        attester = request.POST.get("attester", "")
        form = AttestForm(request.POST, attester=attester)
        if form.is_valid():
            try:
                services.instance_attest(
                    program=request.program,
                    by=request.user,
                    instance=checklist,
                    attester=form.cleaned_data["attester"],
                    signed_name=form.cleaned_data["signed_name"],
                    agreed=form.cleaned_data["agreed"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                checklist.refresh_from_db()
                label = Attester(attester).label.lower()
                done = checklist.status == InstanceStatus.ATTESTED
                messages.success(
                    request,
                    f"Signed as {label}: the checklist is signed off."
                    if done
                    else f"Signed as {label}; another signature is still needed.",
                )
                return redirect(f"{checklist.get_absolute_url()}#sign-off")
        if checklist.status != InstanceStatus.COMPLETED or attester not in Attester.values:
            messages.error(request, " ".join(_messages(form)))
            return redirect(f"{checklist.get_absolute_url()}#sign-off")
        return self.render_to_response(self.get_context_data(bound={"attest": form}))


def _messages(form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]


class CorrectView(ChecklistPageMixin, FormView):
    """A signed-off checklist corrected: a new revision with the reason, its answers copied to
    be put right and signed again; the signed one stays readable."""

    form_class = CorrectForm
    template_name = "compliance/correct.html"

    def check_access(self) -> None:
        super().check_access()
        self.require(
            self.may_correct,
            "Only the practice's lead and the program's admins correct a signed-off checklist.",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            checklist=self.checklist,
            practice=self.checklist.practice,
            correction=selectors.correction_of(self.checklist),
        )
        return context

    def form_valid(self, form):
        try:
            correction = services.instance_correct(
                program=self.request.program,
                by=self.request.user,
                instance=self.checklist,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Revision {correction.revision} is open: correct the answers, then sign it off.",
        )
        return redirect(correction)
