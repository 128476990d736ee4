"""The demo is seeded once and shared, not seeded for each test: a full seed runs every service of
the lifecycle (assessments answered and scored, plans drafted and worked) and takes seconds.

The seed runs in the shared-data slot (tests/shared_data.py): a transaction that stays open while
tests that ask for the seeded demo follow one another, each test in a savepoint inside it
(pytest-django's `db`), so a test that changes the demo data leaves the next test the data as
seeded."""

from io import StringIO

from django.core.management import call_command

from tests.shared_data import shared_fixture


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@shared_fixture
def seeded() -> str:
    """The seeded demo, and the output of the command that seeded it."""
    return seed()
