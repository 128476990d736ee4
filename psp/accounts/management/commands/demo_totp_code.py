"""Print the current TOTP code of an account, so a demo visitor can sign in as the demo admin
without an authenticator app. Anyone who can run this can pass that account's second factor,
so it refuses to run outside development unless told explicitly."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print the current authenticator (TOTP) code for <email>. Development and demos only."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="Run even though DEBUG is off (a demo server that is not a real installation).",
        )

    def handle(self, *args, email, not_production, **options):
        if not (settings.DEBUG or not_production):
            raise CommandError(
                "This prints a working second factor for an account, so it only runs with "
                "DEBUG on, or with --i-know-this-is-not-production on a demo installation."
            )
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with the email address {email}.")
        authenticator = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(f"{user.email} has no authenticator app set up.")
        # allauth stores the secret through its MFA adapter, encrypted if the adapter does so.
        secret = decrypt(authenticator.data["secret"])
        period = mfa_settings.TOTP_PERIOD
        now = time.time()
        code = format_hotp_value(hotp_value(secret, int(now) // period))
        seconds_left = period - int(now) % period
        self.stderr.write(f"Current code for {user.email} (valid for about {seconds_left}s more):")
        self.stdout.write(code)
