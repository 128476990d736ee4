"""Fixtures of the instrument tests."""

import pytest

from assessments.instruments import services
from tests.assessments.helpers import build_draft


@pytest.fixture
def published(world, in_program):
    instrument, version = build_draft(world.program, world.admin)
    services.version_publish(program=world.program, version=version, by=world.admin)
    version.refresh_from_db()
    return instrument, version
