"""People: the user model, login and MFA policy, API tokens, invitations."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "psp.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Registers the API token scheme with drf-spectacular (extensions register on import).
        from psp.accounts import schema  # noqa: F401
