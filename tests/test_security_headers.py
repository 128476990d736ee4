"""What the browser is told about our answers (issue 8, headers): a Content-Security-Policy that
runs only our own scripts and styles, a Permissions-Policy that denies device features, no copy
of anyone's data kept by a cache, and no framing, static files included. And the templates keep
no inline script or style the policy would block."""

import json
import re
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def policy_of(response) -> dict[str, str]:
    """The CSP as {directive: sources}."""
    directives = (
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    return {name: sources for name, sources in directives}


def assert_strict_headers(response):
    policy = policy_of(response)
    assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions


def assert_not_stored(response):
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


def api_token_for(world, user) -> str:
    _, key = factories.api_token_for(world.program, user, name="Export")
    return key


# Content-Security-Policy and Permissions-Policy -------------------------------------------------


def test_the_sign_in_page_runs_only_our_own_scripts_and_styles(client):
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert_strict_headers(response)
    # htmx would add an inline <style> (which the policy blocks) unless told not to.
    assert b'"includeIndicatorStyles": false' in response.content


def test_a_signed_in_page_carries_the_policies(client, world):
    client.force_login(world.coach)

    response = client.get(world.program.get_absolute_url())

    assert response.status_code == 200
    assert_strict_headers(response)


def test_an_api_answer_carries_the_policies(api_client, world):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(world, world.coach)}")

    response = api_client.get(f"/api/v1/programs/{world.program.slug}/practices/")

    assert response.status_code == 200
    assert_strict_headers(response)


@pytest.mark.parametrize("path", ["/no-such-page/", "/api/v1/no-such-thing/"])
def test_not_found_answers_carry_the_policies(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert_strict_headers(response)


def test_with_debug_on_djangos_own_error_pages_stay_readable(client, settings):
    # They are inline-styled and scripted: a developer must still be able to read them.
    settings.DEBUG = True

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Content-Security-Policy" not in response
    assert "Permissions-Policy" in response


def test_the_api_docs_have_no_inline_script_or_style(client):
    # Rendered on the server (psp/api/reference.py), in the app's layout: only its scripts.
    response = client.get(reverse("api-docs"))

    html = response.content.decode()
    assert_strict_headers(response)
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts and all("src=" in attributes for attributes in scripts)
    assert "<style" not in html and "style=" not in html


# Cache-Control ---------------------------------------------------------------------------------


def test_a_signed_in_page_is_not_kept_by_any_cache(client, world):
    client.force_login(world.coach)

    response = client.get(world.program.get_absolute_url())

    assert response.status_code == 200
    assert_not_stored(response)


def test_htmx_keeps_no_copy_of_a_page_in_the_browsers_storage(client, world):
    # htmx snapshots pages it pushes into history into localStorage unless told not to; that
    # copy would outlive sign-out on a shared computer whatever Cache-Control says.
    client.force_login(world.coach)

    page = client.get(world.program.get_absolute_url()).text

    config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', page)
    assert config is not None
    assert json.loads(config.group(1))["historyCacheSize"] == 0


@pytest.mark.parametrize("signed_in", [True, False], ids=["with-token", "without"])
def test_api_answers_are_not_kept_by_any_cache(api_client, world, signed_in):
    if signed_in:
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(world, world.coach)}")

    response = api_client.get(f"/api/v1/programs/{world.program.slug}/practices/")

    assert response.status_code == (200 if signed_in else 401)
    assert_not_stored(response)


def test_a_csv_download_is_not_kept_by_any_cache(client, world):
    client.force_login(world.coach)
    url = reverse(
        "practice_coaching:dose_csv",
        kwargs={"program": world.program.slug, "practice_pk": world.practice.pk},
    )

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert_not_stored(response)


def test_a_view_that_forbids_storing_keeps_its_own_cache_control(client):
    response = client.get("/healthz")

    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]  # never_cache's own, not replaced


# Static files ----------------------------------------------------------------------------------


@pytest.fixture
def collected_static(settings, tmp_path):
    """Static files as production serves them: collected into STATIC_ROOT, found by whitenoise
    when the app starts (no finders, no autorefresh)."""
    shutil.copy(finders.find("css/app.css"), tmp_path / "app.css")
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_USE_FINDERS = False
    return "/static/app.css"


def test_a_static_file_may_not_be_framed_and_stays_cacheable(collected_static, world):
    browser = Client()  # a fresh client builds its middleware with the settings above
    browser.force_login(world.coach)

    response = browser.get(collected_static)
    response.close()

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    # Our stylesheet holds nobody's data: caches may keep it, signed in or not.
    assert "public" in response["Cache-Control"]
    assert "no-store" not in response["Cache-Control"]


# Templates: nothing inline that the policy would block -----------------------------------------

NOT_SERVED = ("accounts/email", "notifications/email")  # email bodies, never a page of ours
INLINE = {
    "inline <script> (move it to static/js)": re.compile(
        r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE
    ),
    "on*= event handler (use addEventListener in static/js)": re.compile(
        r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE
    ),
    "style= attribute (use a class in static/css)": re.compile(
        r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE
    ),
    "<style> block (use static/css)": re.compile(r"<style\b", re.IGNORECASE),
    "htmx attribute that evaluates JavaScript": re.compile(r"\shx-(on|vars)\b"),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def served_templates() -> list[Path]:
    """Our own template folders: the project's and those of our apps (not installed packages)."""
    base = Path(settings.BASE_DIR)
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [Path(app.path) / "templates" for app in apps.get_app_configs()]
    ours = [f for f in folders if f.is_dir() and f.is_relative_to(base) and ".venv" not in f.parts]
    return [
        path
        for folder in ours
        for path in sorted(folder.rglob("*.html"))
        if not any(part in path.relative_to(folder).as_posix() for part in NOT_SERVED)
    ]


COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.DOTALL)


def without_comments(text: str) -> str:
    # Template comments are never sent; keep their newlines so line numbers stay right.
    return COMMENT.sub(lambda match: "\n" * match.group().count("\n"), text)


def test_served_templates_hold_no_inline_script_or_style():
    offences = []
    for path in served_templates():
        text = without_comments(path.read_text())
        for what, pattern in INLINE.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offences.append(f"{path.relative_to(settings.BASE_DIR)}:{line}: {what}")

    assert len(served_templates()) > 100  # the walk found our templates
    assert offences == []
