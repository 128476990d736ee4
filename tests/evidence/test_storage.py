"""Where evidence files live: under var/media/ in the embedded mode (issue 13), in a private
folder beside MEDIA_ROOT, never inside a folder a URL may serve (psp/storage.py's check)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from psp.storage import check_private_root

ROOT = Path(__file__).resolve().parents[2]


def _private_at(settings, location) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }


def test_the_embedded_mode_keeps_private_files_under_var_media_beside_media_root():
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("MEDIA_ROOT", "PSP_PRIVATE_ROOT", "PSP_VAR_DIR", "DATABASE_URL")
    }
    script = (
        "import json, psp.settings as s; "
        "print(json.dumps([str(s.MEDIA_ROOT), str(s.PSP_PRIVATE_ROOT), str(s.VAR_DIR)]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment | {"DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    media, private, var = (Path(p) for p in json.loads(result.stdout))
    assert private == var / "media" / "private"
    assert media == var / "media" / "public"


def test_the_settings_as_they_are_pass_the_check(settings, tmp_path):
    _private_at(settings, tmp_path / "private")
    settings.MEDIA_ROOT = tmp_path / "public"
    assert check_private_root() == []


@pytest.mark.parametrize(
    ("private", "media", "named"),
    [
        ("media/private", "media", "MEDIA_ROOT"),
        ("media", "media/public", "MEDIA_ROOT"),
        ("media", "media", "MEDIA_ROOT"),
        ("static/private", "media", "STATIC_ROOT"),
    ],
)
def test_a_private_folder_a_url_could_serve_is_refused(settings, tmp_path, private, media, named):
    _private_at(settings, tmp_path / private)
    settings.MEDIA_ROOT = tmp_path / media
    settings.STATIC_ROOT = tmp_path / "static"
    errors = check_private_root()
    assert [error.id for error in errors] == ["psp.E010"]
    assert named in errors[0].msg


def test_a_private_folder_inside_the_static_sources_is_refused(settings, tmp_path):
    _private_at(settings, tmp_path / "assets" / "private")
    settings.STATICFILES_DIRS = [tmp_path / "assets"]
    assert "STATICFILES_DIRS[0]" in check_private_root()[0].msg


def test_the_check_runs_with_the_systems_checks(settings, tmp_path):
    from django.core import checks

    _private_at(settings, tmp_path / "media" / "private")
    settings.MEDIA_ROOT = tmp_path / "media"
    assert "psp.E010" in {message.id for message in checks.run_checks()}
