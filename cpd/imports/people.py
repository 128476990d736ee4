"""Whose CPD an import's rows are, and the rules each row is credited by, read once per person
(not per row), so a file of 2,000 rows costs the queries of the people and cycles in it.

A row's rules are those of the person's cycle containing its end date (the version that cycle
started under); where they have no cycle there yet, their scheme's current rules, which the
cycle made on import will start under. Checking a file makes no cycle; importing it does.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models.functions import Lower
from django.utils import timezone

from cpd.activities import selectors
from cpd.schemes.cycles import cycle_for, scheme_for
from cpd.schemes.models import CpdCycle
from cpd.schemes.rules import Rules
from psp.tenancy.models import ProgramMembership


@dataclass
class Person:
    user: object
    practice_id: int | None
    scheme: object | None
    cycles: list = field(default_factory=list)  # CpdCycle, with their versions

    def containing(self, on: date):
        """Their cycle containing `on` under their scheme (or, with no scheme any more, any)."""
        found = [c for c in self.cycles if c.starts_on <= on <= c.ends_on]
        if self.scheme is None:
            return found[-1] if found else None
        return next((c for c in found if c.scheme_id == self.scheme.pk), None)


class People:
    """The people an import names, each read once."""

    def __init__(self, *, program):
        self.program = program
        self._people: dict[int, Person] = {}
        self._rules: dict[tuple[str, int], Rules] = {}

    @staticmethod
    def members_by_email(emails) -> dict[str, object]:
        """{email in lower case: user} of the program's active people among `emails` (one
        query)."""
        wanted = sorted({email.strip().lower() for email in emails if email})
        if not wanted:
            return {}
        rows = (
            ProgramMembership.objects.filter(is_active=True)
            .annotate(address=Lower("user__email"))
            .filter(address__in=wanted)
            .select_related("user")
        )
        return {row.address: row.user for row in rows}

    def person(self, user) -> Person:
        if user.pk not in self._people:
            cycles = CpdCycle.objects.filter(person=user).select_related("version")
            self._people[user.pk] = Person(
                user=user,
                practice_id=selectors.person_practice_id(user),
                scheme=scheme_for(person=user, on=timezone.localdate()),
                cycles=list(cycles.order_by("starts_on")),
            )
        return self._people[user.pk]

    def rules_on(self, user, on: date) -> Rules | None:
        """The rules a row ending on `on` is credited by (no query once the person is read)."""
        person = self.person(user)
        cycle = person.containing(on)
        if cycle is not None:
            return self._parsed(("cycle", cycle.pk), cycle.version.rules)
        if person.scheme is None or person.scheme.current_version is None:
            return None
        return self._parsed(("scheme", person.scheme.pk), person.scheme.current_version.rules)

    def cycle_on(self, user, on: date):
        """The person's cycle containing `on`, made when missing (importing only)."""
        person = self.person(user)
        cycle = person.containing(on)
        if cycle is None and person.scheme is not None:
            cycle = cycle_for(program=self.program, person=user, on=on)
            person.cycles = sorted([*person.cycles, cycle], key=lambda c: c.starts_on)
        return cycle

    def _parsed(self, key, document) -> Rules:
        if key not in self._rules:
            self._rules[key] = Rules.parse(document)
        return self._rules[key]
