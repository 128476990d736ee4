"""Actions on one practice: move its stage, assign and unassign coaches, remove a member.

Each has a page of its own (GET) so it works without JavaScript and can show its errors; the
practice page embeds the same forms and posts to these URLs.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from practices import services
from practices.forms import CoachAssignForm, StageMoveForm
from practices.models import CoachAssignment, PracticeMembership
from practices.views import stage_steps
from psp.forms import add_service_errors
from psp.tenancy.pages import PracticePageMixin
from psp.tenancy.permissions import Capability


class PracticeFormActionView(PracticePageMixin, FormView):
    """A form about one practice; the form gets the practice, success returns to its page."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "practice": self.practice}

    def form_valid(self, form):
        try:
            message = self.perform(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.practice)

    def perform(self, data) -> str:
        """Do the action through a service; return the message to show."""
        raise NotImplementedError


class StageMoveView(PracticeFormActionView):
    capability = Capability.PRACTICE_MOVE_STAGE
    form_class = StageMoveForm
    template_name = "practices/stage_move_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(stage_steps=stage_steps(self.practice.stage), **kwargs)

    def perform(self, data) -> str:
        services.practice_stage_move(
            program=self.request.program,
            practice=self.practice,
            to_stage=data["to_stage"],
            note=data["note"],
            by=self.request.user,
        )
        return f"{self.practice.name} moved to “{self.practice.get_stage_display()}”."


class CoachAssignView(PracticeFormActionView):
    capability = Capability.PRACTICE_ASSIGN_COACH
    form_class = CoachAssignForm
    template_name = "practices/coach_assign_form.html"

    def perform(self, data) -> str:
        coach = data["coach"]
        services.coach_assign(
            program=self.request.program, practice=self.practice, coach=coach, by=self.request.user
        )
        return f"{coach} now coaches {self.practice.name}."


class PracticeChildActionView(PracticePageMixin, TemplateView):
    """A confirmed action on one row belonging to a practice (an assignment, a membership).

    The URL names the practice (`practice_pk`) and the row (`<modelname>_pk`); a row that is not
    the practice's answers 404."""

    practice_kwarg = "practice_pk"
    template_name = "practices/confirm.html"
    child_model = None
    child_person = ""  # the person field shown in the question, joined in the same query

    def check_access(self) -> None:
        super().check_access()
        kwarg = f"{self.child_model._meta.model_name}_pk"
        rows = self.child_model.objects.filter(practice=self.practice).select_related(
            self.child_person
        )
        self.row = rows.filter(pk=self.kwargs[kwarg]).first()
        if self.row is None:
            raise Http404("No such record for this practice.")

    def done_url(self) -> str:
        """Where the confirmation's Cancel and the action's answer lead."""
        return self.practice.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(done_url=self.done_url(), **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            message = self.perform()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, message)
        return redirect(self.done_url())


class CoachUnassignView(PracticeChildActionView):
    capability = Capability.PRACTICE_ASSIGN_COACH
    child_model = CoachAssignment
    child_person = "coach"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Unassign {self.row.coach}",
            question=f"Take {self.practice.name} out of {self.row.coach}’s caseload?",
            confirm_label="Unassign coach",
            **kwargs,
        )

    def perform(self) -> str:
        services.coach_unassign(
            program=self.request.program, assignment=self.row, by=self.request.user
        )
        return f"{self.row.coach} no longer coaches {self.practice.name}."


class MemberRemoveView(PracticeChildActionView):
    capability = Capability.PRACTICE_INVITE_STAFF
    child_model = PracticeMembership
    child_person = "user"

    def done_url(self) -> str:
        # Back to the practice's people page, where removing (and inviting) people lives.
        return reverse(
            "practices:people",
            kwargs={"program": self.request.program.slug, "pk": self.practice.pk},
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Remove {self.row.user}",
            question=(
                f"Remove {self.row.user} ({self.row.get_role_display().lower()}) from "
                f"{self.practice.name}? They keep their account but lose access to this practice."
            ),
            confirm_label="Remove from practice",
            **kwargs,
        )

    def perform(self) -> str:
        services.practice_member_remove(
            program=self.request.program, membership=self.row, by=self.request.user
        )
        return f"{self.row.user} is no longer a member of {self.practice.name}."
