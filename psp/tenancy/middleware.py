"""Puts the program named in the URL in scope for the request, and resets it afterwards.

Pages: the person must hold a role in the program, else 404 (the same answer as for a program
that does not exist), and satisfy the MFA policy (psp.accounts.mfa: admins set up TOTP first).
API views authenticate inside DRF, so for them both checks happen in the scoped viewset's
permission, after authentication.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect

from psp.accounts.mfa import mfa_policy_met, mfa_setup_message
from psp.tenancy.access import access_for
from psp.tenancy.models import Program
from psp.tenancy.scope import enter_scope, leave_scope


def _is_api_view(view_func) -> bool:
    return hasattr(view_func, "cls") and hasattr(view_func, "initkwargs")


class ProgramScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.program = None
        request.access = None
        request._program_scope_token = None
        try:
            return self.get_response(request)
        finally:
            if request._program_scope_token is not None:
                leave_scope(request._program_scope_token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("program")
        if slug is None:
            return None
        program = Program.objects.filter(slug=slug, is_active=True).first()
        if _is_api_view(view_func):
            # The API answers in its own error format: the scoped viewset raises NotFound
            # when there is no program, and checks the role after authenticating the caller.
            if program is not None:
                request.program = program
                request._program_scope_token = enter_scope(program)
            return None
        if not request.user.is_authenticated:
            # Whether the program exists or not: anonymous visitors learn nothing about slugs.
            return redirect_to_login(request.get_full_path())
        if program is None:
            raise Http404("No such program.")
        request._program_scope_token = enter_scope(program)
        access = access_for(program=program, user=request.user)
        if access is None:
            # request.program stays unset, so not even the 404 page names the program.
            raise Http404("No such program.")
        request.program = program
        request.access = access
        if request.user.last_program_id != program.pk:
            # Remembered so that "/" brings the person back to the program they used last.
            get_user_model().objects.filter(pk=request.user.pk).update(last_program=program)
            request.user.last_program = program
        if not mfa_policy_met(user=request.user, access=access):
            messages.warning(request, mfa_setup_message(access=access))
            return redirect("mfa_activate_totp")
        return None
