"""Production settings: Django's deployment checks pass, a missing SECRET_KEY stops the
process instead of signing sessions with a key everybody knows, and a client's X-Forwarded-*
headers are believed only when PSP_TRUSTED_PROXY_COUNT says a proxy of ours wrote them.

Each case runs manage.py in a fresh process, because settings are read once per process."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def manage(*args, **env_overrides) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE comes from the browser tests' set-up; production never sets it
    # (and the deployment checks rightly refuse it).
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env() -> dict[str, str]:
    return {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "psp.example.org"}


def test_the_deployment_checks_pass_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", ALLOWED_HOSTS="psp.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_development_runs_without_a_secret_key():
    result = manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_static_files_collect_without_secrets_as_in_a_docker_build(tmp_path):
    # The Dockerfile runs collectstatic at build time, where no SECRET_KEY exists. A dry run
    # proves the settings allow it; the real one compresses ~1,000 files (a minute or more).
    result = manage("collectstatic", "--noinput", "--dry-run", STATIC_ROOT=str(tmp_path / "static"))
    assert result.returncode == 0, result.stderr
    assert "static files copied" in result.stdout


# Asks the settings, and a request through the middleware, whether a client's own
# X-Forwarded-Proto is believed: /favicon.ico is not exempt from the HTTPS redirect.
PROXY_PROBE = (
    "from django.conf import settings; from django.test import Client; "
    "r = Client().get('/favicon.ico', HTTP_HOST='psp.example.org', "
    "HTTP_X_FORWARDED_PROTO='https'); "
    "print(settings.SECURE_PROXY_SSL_HEADER, settings.ALLAUTH_TRUSTED_PROXY_COUNT, "
    "settings.REST_FRAMEWORK['NUM_PROXIES']); "
    "print(r.status_code, r['Location'])"
)


def proxy_probe(**env) -> list[str]:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        PROXY_PROBE,
        PSP_MANIFEST_STATIC="0",
        **production_env(),
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()


def test_by_default_no_proxy_header_is_believed():
    # A client talking to gunicorn directly cannot claim https (and skip the redirect to it),
    # nor pick the address the login limit counts.
    settings_line, response_line = proxy_probe(PSP_TRUSTED_PROXY_COUNT="")
    assert settings_line == "None 0 0"
    assert response_line == "301 https://psp.example.org/favicon.ico"


def test_behind_a_configured_proxy_its_headers_are_believed():
    settings_line, response_line = proxy_probe(PSP_TRUSTED_PROXY_COUNT="1")
    assert settings_line == "('HTTP_X_FORWARDED_PROTO', 'https') 1 1"
    assert response_line == "301 /static/img/favicon.svg"
