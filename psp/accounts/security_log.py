"""Security events, written to the `psp.security` logger (docs/security.md, "What is logged").

One line per event an operator investigating an account would look for: sign-ins, failed
sign-ins, sign-outs, second factors added, removed or failing. Each names the account and the
client's address (as the login limit sees it, so behind a trusted proxy the real client), never a
password, a code or a token's key.
"""

import logging

from allauth.account.adapter import get_adapter
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

logger = logging.getLogger("psp.security")


def client_address(request) -> str:
    if request is None:
        return "-"
    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # noqa: BLE001 - a log line must never turn a request into an error
        return request.META.get("REMOTE_ADDR") or "-"


def _account(user) -> str:
    return f"user {user.pk} ({user.email})" if user is not None else "unknown user"


@receiver(auth_signals.user_logged_in)
def log_sign_in(sender, request, user, **kwargs):
    logger.info("Sign-in: %s from %s", _account(user), client_address(request))


@receiver(auth_signals.user_logged_out)
def log_sign_out(sender, request, user, **kwargs):
    logger.info("Sign-out: %s from %s", _account(user), client_address(request))


@receiver(auth_signals.user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the login is kept.
    login = credentials.get("email") or credentials.get("username") or "-"
    logger.warning("Failed sign-in for %r from %s", login, client_address(request))


@receiver(mfa_signals.authenticator_added)
def log_authenticator_added(sender, request, user, authenticator, **kwargs):
    logger.info(
        "Second factor added (%s): %s from %s",
        authenticator.type,
        _account(user),
        client_address(request),
    )


@receiver(mfa_signals.authenticator_removed)
def log_authenticator_removed(sender, request, user, authenticator, **kwargs):
    logger.warning(
        "Second factor removed (%s): %s from %s",
        authenticator.type,
        _account(user),
        client_address(request),
    )


@receiver(mfa_signals.authentication_failed)
def log_second_factor_failed(sender, request, user, **kwargs):
    logger.warning("Wrong second-factor code: %s from %s", _account(user), client_address(request))
