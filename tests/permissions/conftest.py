"""Fixtures for the permission tests."""

from tests.tenancy.conftest import _pages_as_in_development  # noqa: F401 - autouse fixture
