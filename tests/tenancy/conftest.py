"""Fixtures for the tenancy guards, and the isolation walk's coverage line at the end of the run."""

import pytest


@pytest.fixture(autouse=True)
def _pages_as_in_development(settings):
    # Pages render `{% static %}`; tests run without collectstatic (no manifest, no STATIC_ROOT).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    settings.SECURE_SSL_REDIRECT = False


def pytest_terminal_summary(terminalreporter):
    from tests.tenancy.test_isolation_walk import WALKED

    if WALKED["page"] or WALKED["api"]:
        terminalreporter.write_line(
            f"isolation walk: {len(WALKED['page'])} page routes and {len(WALKED['api'])} API "
            f"routes walked as another program's member ({WALKED['requests']} requests), "
            "every one 404 and program B unchanged"
        )
