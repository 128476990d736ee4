"""The invitation link: /invitations/<token>/.

The token names the program, so the link works outside any /p/<program>/ URL; once the
invitation is found, everything happens inside its program's scope. A link that is unknown,
expired, revoked or already used gets a page saying so (never an error page)."""

from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from psp.accounts import services
from psp.accounts.forms import AcceptInvitationForm
from psp.forms import add_service_errors
from psp.tenancy.scope import program_scope

UNAVAILABLE = {
    "unknown": (
        "This invitation link does not work",
        "The link may be mistyped, or a newer invitation email replaced it. Use the link in "
        "the most recent email, or ask whoever invited you to send it again.",
    ),
    "expired": (
        "This invitation has expired",
        "Ask whoever invited you to send it again; the new email will have a fresh link.",
    ),
    "revoked": (
        "This invitation was withdrawn",
        "It can no longer be used. If you think that is a mistake, ask the program's admin.",
    ),
    "accepted": (
        "This invitation has already been used",
        "Each invitation works once. If it was you who accepted it, just sign in.",
    ),
}


def _unavailable(request, reason: str, invitation=None):
    title, explanation = UNAVAILABLE[reason]
    return render(
        request,
        "accounts/invitations/unavailable.html",
        {"title": title, "explanation": explanation, "invitation": invitation},
        status=404 if reason == "unknown" else 410,
    )


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept(request, token):
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return _unavailable(request, "unknown")
    with program_scope(invitation.program):
        if invitation.status != "pending":
            return _unavailable(request, invitation.status, invitation)
        if request.user.is_authenticated:
            return _accept_signed_in(request, invitation)
        return _accept_newcomer_or_ask_to_sign_in(request, invitation)


def _context(invitation, **extra):
    return {
        "invitation": invitation,
        "program": invitation.program,
        "role_label": services.invitation_role_label(invitation),
        **extra,
    }


def _accept_signed_in(request, invitation):
    user = request.user
    if user.email.lower() != invitation.email.lower():
        # Signed in as someone else: say so, and offer to sign out and back in as the invitee.
        login_url = reverse("account_login") + "?" + urlencode({"next": request.path})
        return render(
            request,
            "accounts/invitations/accept.html",
            _context(invitation, wrong_account=True, after_logout=login_url),
        )
    errors = []
    if request.method == "POST":
        try:
            services.invitation_accept(program=invitation.program, invitation=invitation, user=user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"Welcome to {invitation.program}.")
            return redirect(invitation.program.get_absolute_url())
    return render(request, "accounts/invitations/accept.html", _context(invitation, errors=errors))


def _accept_newcomer_or_ask_to_sign_in(request, invitation):
    has_account = get_user_model().objects.filter(email__iexact=invitation.email).exists()
    if has_account:
        login_url = reverse("account_login") + "?" + urlencode({"next": request.path})
        return render(
            request,
            "accounts/invitations/accept.html",
            _context(invitation, sign_in_first=True, login_url=login_url),
        )
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept_as_new_person(
                program=invitation.program,
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Signed in through allauth's own login flow (its signals, messages and stages).
            messages.success(request, f"Welcome to {invitation.program}.")
            return perform_login(request, user, redirect_url=invitation.program.get_absolute_url())
    return render(request, "accounts/invitations/accept.html", _context(invitation, form=form))
