"""People: the user model, login and MFA policy, API tokens, invitations."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "psp.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # The API token scheme registers with drf-spectacular on import; the security event
        # log connects its signal receivers.
        from psp.accounts import schema, security_log  # noqa: F401
