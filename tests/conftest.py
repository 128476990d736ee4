"""Shared fixtures: two programs, and in the first one a person in every role plus an outsider.

Every view test can ask "and the outsider / the other program's member gets a 404?".
"""

from dataclasses import dataclass

import pytest
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


@pytest.fixture
def world(db) -> World:
    return build_world("north-psp", "North PSP")


@pytest.fixture
def other_world(db) -> World:
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
    settings.SECURE_SSL_REDIRECT = False


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
