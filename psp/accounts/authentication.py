"""API token authentication. A token belongs to one person in one program."""

from django.utils import timezone
from rest_framework import authentication, exceptions

from psp.accounts.models import ApiToken


class ProgramTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token psp_…` (or `Bearer psp_…`).

    The token row is found across programs on purpose: the key itself says which program it is
    for. The scoped viewset then refuses it for any program other than its own.
    """

    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Malformed Authorization header.")
        key = header[1]
        lookup = ApiToken.split_key(key)
        token = (
            ApiToken.all_programs.select_related("user").filter(lookup=lookup).first()
            if lookup
            else None
        )
        if token is None or not token.matches(key) or not token.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("This person's account is deactivated.")
        # Touch last_used_at at most once a minute to keep reads cheap.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.all_programs.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return "Token"
