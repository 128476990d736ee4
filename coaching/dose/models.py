"""The monthly summary of the dose of support. Derived data, never edited by hand: rows are
recomputed per practice from its logged visits (coaching/dose/summary.py) whenever a visit or
one of its activities is written, and rebuilt for a whole program by `rebuild_dose` and nightly.

No uniqueness over (practice, coach, month, mode): deleting a coach sets `coach` to null here as
on the visits, and two rows that then share a key still add up to the right dose."""

from django.conf import settings
from django.db import models

from psp.tenancy.base import ProgramOwned


class DoseMonth(ProgramOwned):
    """Logged visits of one practice by one coach in one month, in one mode."""

    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    month = models.DateField(help_text="The month's first day.")
    mode = models.CharField(max_length=10)
    visits = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    travel = models.PositiveIntegerField()

    class Meta:
        # Every column the reads sum or group by is in the index, so the program-wide dose and
        # one practice's dose are read from the index alone (an index-only scan on PostgreSQL;
        # SQLite uses the covering index the same way). Keys rather than INCLUDE: SQLite has no
        # INCLUDE, and the same index serves both databases.
        indexes = [
            models.Index(
                fields=["program", "month", "practice", "coach", "mode"]
                + ["visits", "minutes", "travel"],
                name="dose_month_program",
            ),
            models.Index(
                fields=["program", "practice", "month", "mode", "visits", "minutes", "travel"],
                name="dose_month_practice",
            ),
        ]

    def __str__(self):
        return f"{self.practice_id} {self.month:%Y-%m} {self.mode}: {self.visits} visits"


class DoseActivityMonth(ProgramOwned):
    """Minutes of one practice's logged visits by one coach in one month on one support
    activity, and how many visits spent time on it."""

    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    month = models.DateField(help_text="The month's first day.")
    activity = models.CharField(max_length=30)
    visits = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["program", "month", "practice", "coach", "activity", "visits", "minutes"],
                name="dose_activity_program",
            ),
            models.Index(
                fields=["program", "practice", "month", "activity", "visits", "minutes"],
                name="dose_activity_practice",
            ),
        ]

    def __str__(self):
        return f"{self.practice_id} {self.month:%Y-%m} {self.activity}: {self.minutes} min"


class DoseCoachMonth(ProgramOwned):
    """Logged visits by one coach over every practice of the program in one month, in one mode:
    the sums of DoseMonth without the practice, for the program-wide dose (by month, quarter,
    mode or coach) and the coaches' workload. A program's year is a few rows per coach, where
    DoseMonth holds about ten per practice and month.

    Kept by coaching/dose/summary.py with DoseMonth: a practice's recomputation adds the change
    in its sums here, and a program's rebuild recomputes these rows from DoseMonth. Like
    DoseMonth, no uniqueness: rows sharing a key (a deleted coach) still add up."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    month = models.DateField(help_text="The month's first day.")
    mode = models.CharField(max_length=10)
    visits = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    travel = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["program", "month", "coach", "mode", "visits", "minutes", "travel"],
                name="dose_coach_month_program",
            ),
        ]

    def __str__(self):
        return f"{self.coach_id} {self.month:%Y-%m} {self.mode}: {self.visits} visits"
