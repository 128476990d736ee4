"""Fixtures for the practice tests."""

import pytest


@pytest.fixture(autouse=True)
def _pages_as_in_development(settings):
    # Pages render `{% static %}`; tests run without collectstatic (no manifest, no STATIC_ROOT).
    # The same fixture lives in tests/tenancy and tests/accounts; it belongs in tests/conftest.py.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    settings.SECURE_SSL_REDIRECT = False
