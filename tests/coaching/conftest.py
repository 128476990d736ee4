"""Fixtures for the coaching tests, in every sub-domain's folder (the shared ones live in
tests/conftest.py)."""

import pytest

from tests.coaching.helpers import drafted_setup


@pytest.fixture
def drafted(world):
    """world.practice assessed (workflow 35%, EHR use 52.5% weak) and a plan drafted from it."""
    return drafted_setup(world)
