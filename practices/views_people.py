"""A practice's people page, for whoever may invite into the practice (its lead; admins too):
who belongs to it and as what, the invitations still waiting for an answer (send again,
revoke), inviting a colleague, and taking someone out of the practice (never oneself).

The invitation rules live in psp.accounts.services (who may resend or revoke which invitation);
removing a person is practices.services.practice_member_remove, confirmed on its own page
(views_actions.MemberRemoveView), which comes back here."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from practices import selectors
from practices.views_actions import PracticeChildActionView
from psp.accounts import selectors as people_selectors
from psp.accounts import services as people_services
from psp.accounts.models import Invitation
from psp.tenancy.pages import PracticePageMixin
from psp.tenancy.permissions import Capability


def practice_people_url(practice) -> str:
    return reverse(
        "practices:people", kwargs={"program": practice.program_slug(), "pk": practice.pk}
    )


class PracticePeopleView(PracticePageMixin, TemplateView):
    capability = Capability.PRACTICE_INVITE_STAFF
    template_name = "practices/practice_people.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practice = self.practice
        invitations = list(people_selectors.practice_invitation_list(practice=practice))
        for invitation in invitations:
            invitation.role_label = invitation.get_practice_role_display()
        invite_url = reverse("people:invite", kwargs={"program": practice.program_slug()})
        context.update(
            members=selectors.practice_people(practice=practice),
            invitations=invitations,
            invite_url=f"{invite_url}?practice={practice.pk}",
        )
        return context


class PracticeInvitationActionView(PracticeChildActionView):
    """Send an invitation into the practice again, or revoke it (POST only: the buttons sit on
    the people page)."""

    capability = Capability.PRACTICE_INVITE_STAFF
    child_model = Invitation
    child_person = "invited_by"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            message = self.perform()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, message)
        return redirect(practice_people_url(self.practice))


class InvitationResendView(PracticeInvitationActionView):
    def perform(self) -> str:
        people_services.invitation_resend(
            program=self.request.program, access=self.access, invitation=self.row
        )
        return f"A new link is on its way to {self.row.email}; the old one no longer works."


class InvitationRevokeView(PracticeInvitationActionView):
    def perform(self) -> str:
        people_services.invitation_revoke(
            program=self.request.program, access=self.access, invitation=self.row
        )
        return f"The invitation for {self.row.email} was revoked; its link no longer works."
