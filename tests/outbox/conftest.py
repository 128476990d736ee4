import pytest

from tests.outbox import tasks_for_tests


@pytest.fixture(autouse=True)
def _fresh_task_records():
    tasks_for_tests.reset()
    yield
    tasks_for_tests.reset()
