"""Shared fixtures: two programs, and in the first one a person in every role plus an outsider.

Every view test can ask "and the outsider / the other program's member gets a 404?".

The worlds are built once and shared by the tests that follow, each test in a savepoint that is
rolled back (tests/shared_data.py). The suite runs on two processes (pytest-xdist): each has its
own test database (pytest-django) and, with REDIS_URL, its own Redis database (below).
"""

import os
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from psp.tenancy.models import ProgramRole, Sector
from psp.tenancy.scope import program_scope
from tests.factories import (
    CoachAssignmentFactory,
    MembershipFactory,
    PracticeFactory,
    PracticeMembershipFactory,
    ProgramFactory,
    UserFactory,
    give_totp,
)
from tests.shared_data import Slot, shared_fixture


@dataclass
class World:
    """One program with a person in every role, two practices, and one coach assignment."""

    program: object
    admin: object
    manager: object
    coach: object
    other_coach: object
    lead: object
    staff: object
    practice: object  # coached by `coach`, `lead` and `staff` belong to it
    other_practice: object  # coached by `other_coach`; nobody above but admin/manager reach it

    def user(self, role: str):
        return getattr(self, role)


def build_world(slug: str, name: str, sector=Sector.PRIMARY_CARE) -> World:
    program = ProgramFactory(slug=slug, name=name, sector=sector)
    people = {}
    for role in ("admin", "manager", "coach", "other_coach", "lead", "staff"):
        people[role] = UserFactory(
            email=f"{role}@{slug}.example.org", full_name=f"{role.title()} of {name}"
        )
    program_role = {
        "admin": ProgramRole.ADMIN,
        "manager": ProgramRole.MANAGER,
        "coach": ProgramRole.COACH,
        "other_coach": ProgramRole.COACH,
        "lead": ProgramRole.PRACTICE,
        "staff": ProgramRole.PRACTICE,
    }
    for role, user in people.items():
        MembershipFactory(program=program, user=user, role=program_role[role])
    give_totp(people["admin"])
    practice = PracticeFactory(program=program, name=f"{name} Health Centre")
    other = PracticeFactory(program=program, name=f"{name} Lakeside Clinic")
    CoachAssignmentFactory(program=program, practice=practice, coach=people["coach"])
    CoachAssignmentFactory(program=program, practice=other, coach=people["other_coach"])
    PracticeMembershipFactory(program=program, practice=practice, user=people["lead"], role="lead")
    PracticeMembershipFactory(
        program=program, practice=practice, user=people["staff"], role="staff"
    )
    return World(program=program, practice=practice, other_practice=other, **people)


@shared_fixture
def world() -> World:
    return build_world("north-psp", "North PSP")


@shared_fixture
def other_world() -> World:
    return build_world("south-psp", "South PSP", sector=Sector.LAW)


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@example.org", full_name="Olive Outsider")


@pytest.fixture
def in_program(world):
    """Run the test body inside program A's scope (for service and selector tests)."""
    with program_scope(world.program):
        yield world.program


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _pages_as_in_development(settings):
    """Pages render `{% static %}` and tests run without collectstatic (no manifest, no
    STATIC_ROOT); the test client speaks plain http, so no HTTPS redirect either."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    # Outbox tasks run inline, so a test sees their effect when the transaction commits.
    settings.PSP_TASKS_IN_THREAD = False
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Report files (the "private" storage) go to the test's own folder, never to var/."""
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


@pytest.fixture(autouse=True)
def _api_rates_off(settings):
    """The suite makes thousands of API calls, with user and token ids that repeat across tests
    (SQLite reuses them) and counts that outlive a test (the cache): no rate limits, except in
    tests/api/test_throttles.py, which sets its own."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"sustained": None, "burst": None},
    }


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_in_process():
    """Tasks run in the test process, in both run modes.

    With REDIS_URL set (CI), settings make Celery send tasks to a real broker; the suite would
    then depend on a worker nobody started. tests/test_tasks_full_stack.py proves the worker path
    with a real worker instead."""
    from psp.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


# Shared data (tests/shared_data.py) -----------------------------------------------------------


@pytest.fixture(scope="session")
def shared_data(django_db_setup, django_db_blocker):
    """This process's slot of shared data; rolled back at the end of the session."""
    slot = Slot(django_db_blocker)
    yield slot
    slot.close()
    with django_db_blocker.unblock():
        end_leftover_sessions()


def end_leftover_sessions() -> None:
    """On PostgreSQL, end the test database's sessions other than this one before it is
    dropped: a connection a server or task thread left open (one CI run found one "idle in
    transaction") would otherwise fail the whole run at teardown ("database is being accessed
    by other users"). What was ended is printed, to find the thread that left it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, state, left(query, 200), pg_terminate_backend(pid) "
            "FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        for pid, state, query, _ in cursor.fetchall():
            print(f"\nEnded a leftover session {pid} ({state}): {query}")


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    # pytest-django's fixture that opens each test's transaction (TestCase) or readies a
    # transactional one (TransactionTestCase): the slot must be ready, or closed, just before.
    if fixturedef.argname == "_django_db_helper":
        request.getfixturevalue("shared_data").prepare(request)
    return (yield)


# Each process its own Redis database --------------------------------------------------------


def worker_redis_url(url: str, worker: str) -> str:
    """REDIS_URL's database for the first process (gw0, or no xdist), the next one for gw1...

    Tests empty the cache (cache.clear() is FLUSHDB on Redis), and Celery's broker lives in the
    same database: two processes sharing one would wipe each other's rate limits and queues."""
    index = int(worker.removeprefix("gw") or 0)
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    if base + index > 15:
        raise pytest.UsageError(
            f"REDIS_URL={url} leaves no Redis database for pytest-xdist worker {worker} (the "
            "suite uses the URL's database and the next ones, one per worker, up to 15): "
            "name a lower database"
        )
    return urlunsplit(parts._replace(path=f"/{base + index}"))


def pytest_configure(config):
    url = os.environ.get("REDIS_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return
    from django.conf import settings
    from django.test import override_settings

    from psp.celery import app

    url = worker_redis_url(url, worker)
    # Settings were read before this file (pytest-django); processes the tests start (a Celery
    # worker, another Django process) read REDIS_URL from the environment.
    os.environ["REDIS_URL"] = url
    override_settings(
        REDIS_URL=url,
        CACHES={"default": {**settings.CACHES["default"], "LOCATION": url}},
        CELERY_BROKER_URL=url,
    ).enable()
    app.conf.broker_url = url


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: shared worlds keep their ids from test to test,
    and allauth keeps per-user state there (used TOTP codes, login rate limits)."""
    cache.clear()
