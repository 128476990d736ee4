"""Helpers for the accounts tests."""

import re

from tests.factories import PASSWORD


def sign_in(client, user, password=PASSWORD, **extra):
    """Sign in through the real login form (allauth records it, rate limits it, asks for MFA)."""
    return client.post("/accounts/login/", {"login": user.email, "password": password}, **extra)


def link_in(message) -> str:
    """The invitation link's path from an email (text part)."""
    match = re.search(r"https://psp\.example\.org(/invitations/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)
