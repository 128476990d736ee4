"""Production settings: Django's deployment checks pass, and a missing SECRET_KEY stops the
process instead of signing sessions with a key everybody knows.

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
