"""The CPD persona world (tests/cpd/activities/conftest.py): a family-medicine style scheme for
leads and staff, the other coach a named verifier."""

import pytest

from tests.cpd.activities.conftest import cpd_world  # noqa: F401 (the CPD persona world)


@pytest.fixture(name="world")
def _world(cpd_world):  # noqa: F811 (the fixture imported above)
    return cpd_world.world
