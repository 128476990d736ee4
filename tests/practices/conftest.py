"""Fixtures for the practice tests (the shared ones live in tests/conftest.py)."""
