"""Fixtures for the people, login and API-token tests."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_slate(settings):
    # Rate-limit counters and used TOTP codes live in the cache; each test starts without them.
    cache.clear()
    settings.PSP_SITE_URL = "https://psp.example.org"
    yield
    cache.clear()
