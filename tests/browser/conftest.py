"""Browser tests: real headless Chromium (Debian's /usr/bin/chromium) against pytest-django's
live server. They are skipped, saying why, on a machine without Chromium."""

import os
from pathlib import Path

import pytest
from django.test import override_settings
from pytest_django.live_server_helper import LiveServer

CHROMIUM = Path(os.environ.get("PSP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API keeps an event loop running in the main thread for the whole session,
# so Django would refuse every database query made from a test (or a fixture's teardown) after
# the first browser test. The queries are not really concurrent: the live server has its own
# thread and connection.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium, or run "
        "scripts/ensure-chromium.sh); browser tests skipped"
    )
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _shared_data_closed_before_playwright(shared_data):
    """Close this process's shared-data transaction (tests/shared_data.py) before Playwright
    starts its event loop in this thread: from then on Django hands out another connection in
    this thread, and the slot's transaction, left on the old one, would hold locks that the
    browser tests' database flush waits on forever. An autouse session fixture is set up before
    Playwright's own session fixtures."""
    shared_data.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright's own browser download cannot work here: drive the system Chromium.
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_FLAGS,
    }


# The live server speaks plain http and tests have no collectstatic: no HTTPS redirect, cookies
# that travel over http, static files from the source folders (whitenoise would warn about the
# missing STATIC_ROOT, and warnings are errors here).
SERVED_LIKE_DEVELOPMENT = {
    "SECURE_SSL_REDIRECT": False,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
    "WHITENOISE_AUTOREFRESH": True,
}


@pytest.fixture(scope="package")
def live_server(django_db_blocker):
    """pytest-django's live server, for the browser tests only, started inside the settings above.

    pytest-django's own fixture starts at the session's first use, before any function-scoped
    `settings` change, and the middleware reads some settings once when it is built."""
    with override_settings(**SERVED_LIKE_DEVELOPMENT):
        with django_db_blocker.unblock():
            server = LiveServer("localhost")
        yield server
        server.stop()


# Chromium reports every Content-Security-Policy violation on the console ("Refused to execute
# inline script because it violates the following Content Security Policy directive..."), and a
# Permissions-Policy header it cannot read ("Error with Permissions-Policy header: ...").
POLICY_COMPLAINTS = ("Content Security Policy", "Permissions-Policy")


@pytest.fixture
def policy_complaints(page) -> list[str]:
    """Every complaint the browser makes about our security policies on this test's page."""
    complaints = []

    def on_console(message):
        if any(words in message.text for words in POLICY_COMPLAINTS):
            complaints.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return complaints


@pytest.fixture(autouse=True)
def _pages_keep_to_the_security_policies(request):
    """Every browser test also checks that nothing it saw was blocked by the CSP: an inline
    script or style, an eval, an image or a connection to another origin."""
    if "page" not in request.fixturenames:
        yield
        return
    complaints = request.getfixturevalue("policy_complaints")
    yield
    assert complaints == [], "the browser blocked something:\n" + "\n".join(complaints)


@pytest.fixture(scope="session")
def base_url():
    # pytest-playwright's fallback `base_url` fixture is a method on a plugin object, which this
    # pytest reports with a deprecation warning (an error in this suite). Tests use
    # live_server.url instead.
    return None
