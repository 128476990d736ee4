"""Create an API token for a person in a program and print its key (once).

It goes through the same service as the token page and the API, so the same rules apply: the
person's role must hold `api_tokens.own` (admins, managers and coaches) and an admin needs
two-factor authentication first."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from psp.accounts.mfa import MfaRequired
from psp.accounts.services import api_token_create
from psp.tenancy.models import Program
from psp.tenancy.scope import program_scope


class Command(BaseCommand):
    help = (
        "Create an API token for <email> in the program <program-slug> and print the key. "
        "The key is shown only now; only its hash is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("program", metavar="program-slug")
        parser.add_argument("--name", default="Command-line token", help="What will use it.")

    def handle(self, *args, email, program, name, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with the email address {email}.")
        program_row = Program.objects.filter(slug=program).first()
        if program_row is None:
            raise CommandError(f"No program with the slug {program!r}.")
        with program_scope(program_row):
            try:
                token, key = api_token_create(program=program_row, user=user, name=name)
            except MfaRequired as exc:
                raise CommandError(
                    f"{user.email} is an admin of {program_row.name} without two-factor "
                    "authentication; they must set it up before holding a token."
                ) from exc
            except PermissionDenied as exc:
                # No role in the program, or a role that holds no tokens (api_tokens.own).
                raise CommandError(
                    f"No token for {user.email} in {program_row.name}: {exc}"
                ) from exc
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        self.stderr.write(
            f"Token “{token.name}” for {user.email} in {program_row.name}. "
            "Copy the key now; it is not shown again:"
        )
        self.stdout.write(key)
