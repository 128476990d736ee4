"""Fixtures for the history tests: a drafted plan (tests/coaching) and an open round
(tests/assessments) of world.practice."""

import pytest

from tests.assessments.helpers import build_instrument, open_round
from tests.coaching.helpers import drafted_setup


@pytest.fixture
def drafted(world):
    return drafted_setup(world)


@pytest.fixture
def round_(world):
    return open_round(world, build_instrument(world.program, key="history-readiness"))
