"""`manage.py seed_demo [--if-empty]`: the demo installation `make run` starts with."""

from collections import Counter
from io import StringIO

from django.core.management.base import BaseCommand, OutputWrapper

from psp.demo.common import DEMO_PASSWORD, DEMO_TOTP_SECRET
from psp.demo.seed import demo_seed
from psp.tenancy.models import Program


class Command(BaseCommand):
    help = (
        "Create two demo programs (primary care and law) with practices in every enrolment "
        "stage, people in every role, pending invitations, each sector's instrument pack with "
        "scored baseline and follow-up assessments, consensus rounds and rounds still open, "
        "support plans in every status, two years of coaching visits (planned, cancelled and "
        "edited ones too), actions from plans and visits with their history, participant "
        "feedback and caseloads with practices on track, needing attention and stalled, then "
        "print the demo logins. "
        "Safe to run again: it only creates what is missing and never changes or deletes data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds any program (used by `make run`, "
            "so a second run keeps what you entered).",
        )

    def handle(self, *args, if_empty=False, verbosity=1, **options):
        if not verbosity:
            # --verbosity 0: nothing at all on stdout (errors still go to stderr).
            self.stdout = OutputWrapper(StringIO())
        if if_empty and Program.objects.exists():
            self.stdout.write(
                "Programs already exist: leaving the data as it is. The demo logins are in "
                "README.md (password: " + DEMO_PASSWORD + ")."
            )
            return
        # One line per step as it starts: the whole takes about a minute.
        seeded = demo_seed(progress=lambda step: self.stdout.write(f"Seeding {step}..."))
        created = sum((demo.created for demo in seeded), Counter())
        if created:
            summary = ", ".join(f"{count} {what}" for what, count in created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo data created: {summary}."))
        else:
            self.stdout.write("The demo data was already complete: nothing created.")
        self._print_logins(seeded)

    def _print_logins(self, seeded):
        header = ("Role", "Name", "Email")
        tables = {
            demo.program: [
                (login.role + (" (TOTP)" if login.totp else ""), login.name, login.email)
                for login in demo.logins
            ]
            for demo in seeded
        }
        # One set of column widths for all programs, so the tables line up.
        every_row = [header, *(row for rows in tables.values() for row in rows)]
        widths = [max(len(row[i]) for row in every_row) for i in range(len(header))]

        def line(row):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            return "  ".join(cells).rstrip()

        for program, rows in tables.items():
            self.stdout.write("")
            self.stdout.write(
                self.style.MIGRATE_HEADING(f"Demo logins: {program.name} (/p/{program.slug}/)")
            )
            self.stdout.write(line(header))
            self.stdout.write(line(["-" * width for width in widths]))
            for row in rows:
                self.stdout.write(line(row))
        self.stdout.write("")
        self.stdout.write(f"Password for every demo login: {DEMO_PASSWORD}")
        self.stdout.write(
            f"Program admins (TOTP) also enter a code: add the secret {DEMO_TOTP_SECRET} to an "
            "authenticator app, or run `python manage.py demo_totp_code <email>`."
        )
        self.stdout.write(
            "Sam Rivera has roles in both programs: sign in as Sam to see the switcher."
        )
