"""django.contrib.admin with the platform's own site (psp.accounts.admin_site).

A module of its own because INSTALLED_APPS imports it before any model can be imported."""

from django.contrib.admin.apps import AdminConfig


class PlatformAdminConfig(AdminConfig):
    default_site = "psp.accounts.admin_site.PlatformAdminSite"
