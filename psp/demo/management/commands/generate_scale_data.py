"""`manage.py generate_scale_data --visits 100000 --seed 1`: a program at benchmark size."""

import time

from django.core.management.base import BaseCommand, CommandError

from psp.demo.scale.build import AREAS, scale_add, scale_generate

SIZES = (10_000, 100_000, 1_000_000)


class Command(BaseCommand):
    help = (
        "Generate, deterministically from --seed, one program of --visits logged visits over two "
        "years: visits/100 practices over sectors and regions, one coach per 50 practices, "
        "planned and cancelled visits, minutes by activity, baseline and follow-up assessments, "
        "plans with goals and actions and their history, stage moves, practice leads, feedback, "
        "10 KPIs with a value per practice and month, CPD schemes with every practice lead's "
        "cycles and activities, and compliance checklists assigned, scheduled and filled in. The "
        "program (--program) is replaced if it exists; no other program is touched. With --add, "
        "only the "
        "areas named are built into the program generated earlier (same --seed), replacing its "
        "earlier rows of them. Then its caseload standings and summaries "
        "are brought current. PostgreSQL writes the biggest tables with COPY."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--program", default="scale", help="The program's slug (default scale)."
        )
        parser.add_argument(
            "--visits",
            type=int,
            default=10_000,
            help="Logged visits in all: 10000, 100000 or 1000000 (any number from 100 for tests).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data (default 1).")
        parser.add_argument(
            "--add",
            default="",
            help=(
                f"Comma-separated areas ({','.join(AREAS)}) to build into the existing program, "
                "replacing its earlier rows of them, instead of generating it afresh; --visits "
                "is then read from the program."
            ),
        )

    def handle(self, *args, program, visits, seed, add="", verbosity=1, **options):
        areas = [area.strip() for area in add.split(",") if area.strip()]
        unknown = [area for area in areas if area not in AREAS]
        if unknown:
            choices = ", ".join(AREAS)
            raise CommandError(f"--add: no area {', '.join(unknown)} (choose from {choices}).")
        if visits < 100:
            raise CommandError("--visits must be at least 100 (one practice has about 100).")
        if program in ("northern-primary-care", "legal-practice-network"):
            raise CommandError("That is a demo program's slug: choose another for scale data.")
        say = self.stdout.write if verbosity else (lambda line: None)
        started = time.monotonic()
        progress = lambda line: say(f"  {line}")  # noqa: E731
        if areas:
            try:
                ctx, timings = scale_add(slug=program, areas=areas, seed=seed, progress=progress)
            except LookupError as error:
                raise CommandError(str(error)) from None
        else:
            ctx, timings = scale_generate(
                slug=program, visits_total=visits, seed=seed, progress=progress
            )
        total = time.monotonic() - started
        say("Rows: " + ", ".join(f"{count:,} {table}" for table, count in ctx.counts.items()))
        say("Seconds: " + ", ".join(f"{name} {secs:.1f}" for name, secs in timings.items()))
        say(
            self.style.SUCCESS(
                f"Program /p/{program}/ {'added to' if areas else 'generated'} in {total:.0f} s. "
                "Manager: "
                f"{ctx.people.manager.email} (the demo password)."
            )
        )
