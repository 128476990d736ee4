"""allauth policy: no open sign-up; people join through invitations."""

from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False
