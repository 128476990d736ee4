"""allauth policy: no open sign-up; people join through invitations. Failed sign-ins are
limited per account."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def get_client_ip(self, request):
        """allauth refuses to guess when X-Forwarded-For holds fewer entries than
        PSP_TRUSTED_PROXY_COUNT says proxies added (a miscounted deployment, or a request that
        reached gunicorn past the proxy). A sign-in is still never a 500: count the connecting
        address, as with no proxy at all, and tell the operator."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            logger.error(
                "X-Forwarded-For has fewer entries than PSP_TRUSTED_PROXY_COUNT; "
                "counting sign-in attempts by the connecting address instead."
            )
            return request.META.get("REMOTE_ADDR") or "unknown"

    def _get_login_attempts_cache_key(self, request, **credentials):
        """The key of the per-account limit on failed sign-ins (ACCOUNT_RATE_LIMITS
        "login_failed"): the email address, as allauth looks the account up (lowercased).

        allauth's own key also holds the request's host, port included, and without the sites
        framework that is the client's Host header: every port or allowed host name a client
        wrote would get five fresh guesses at the same account. (allauth calls this both when
        counting and when a password reset clears the count.)"""
        login = credentials.get("email") or credentials.get("username") or ""
        return "account:" + login.strip().lower()
