"""The notification settings' rows choose a delivery for a kind: one is registered for every
test here (and taken away after), whatever kinds the apps' reminders register."""

import pytest

from psp.notifications.registry import registry
from tests.permissions.cells import CELL_KIND


@pytest.fixture(autouse=True)
def _a_notification_kind(monkeypatch):
    monkeypatch.setattr(registry, "kinds", {**registry.kinds, CELL_KIND.code: CELL_KIND})
