"""The Django admin's site, bound to the same sign-in and MFA policy as the rest of the platform.

Platform operators (staff, superusers) reach every program through it, so:
- it has no password form of its own: `/admin/login/` sends people to the one sign-in page
  (allauth's), with its rate limit and second factor; a password posted to `/admin/login/`
  is never checked;
- an operator without an authenticator is sent to set one up before any admin page opens
  (psp.accounts.mfa).

Installed in place of `django.contrib.admin` (INSTALLED_APPS names PlatformAdminConfig, in
`psp.accounts.admin_config`), so `admin.site` everywhere is this site.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from psp.accounts.mfa import PLATFORM, mfa_policy_met, mfa_setup_message


class PlatformAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and mfa_policy_met(
            user=request.user, access=PLATFORM
        )

    def login(self, request, extra_context=None):
        next_url = self._next_url(request)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url, settings.LOGIN_URL)
        if not (user.is_active and user.is_staff):
            raise PermissionDenied("The admin site is for platform operators.")
        if not mfa_policy_met(user=user, access=PLATFORM):
            messages.warning(request, mfa_setup_message(access=PLATFORM))
            return redirect("mfa_activate_totp")
        return redirect(next_url)

    def _next_url(self, request) -> str:
        wanted = request.GET.get(REDIRECT_FIELD_NAME, "")
        if url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return wanted
        return reverse("admin:index", current_app=self.name)
