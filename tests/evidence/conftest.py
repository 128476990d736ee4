"""Evidence tests: the test subject kind registered (subjects.py), files in the test's own
private folder (tests/conftest.py)."""

import pytest

from tests.evidence.subjects import ensure_test_subject


@pytest.fixture(autouse=True)
def _test_subject():
    ensure_test_subject()
