"""The demo is seeded once per test module, not once per test: a full seed runs every service of
the lifecycle (assessments answered and scored, plans drafted and worked) and takes seconds.

The seed runs inside a transaction that is rolled back after the module's last test; each test
runs in a savepoint inside it (pytest-django's `db`), so a test that changes the demo data leaves
the next test the data as seeded."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    # The suite's fast hasher (tests/conftest.py), so demo logins can be checked in tests.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield seed()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def seeded(seeded_once, db) -> str:
    """The seeded demo, and the output of the command that seeded it."""
    return seeded_once
