"""The URLs outside any program that tools and browsers rely on: /healthz and /favicon.ico."""

from pathlib import Path
from unittest import mock

import pytest
from django.contrib.staticfiles import finders
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_over_plain_http_when_the_database_answers(client):
    # Load balancers probe over plain http: the production HTTPS redirect must not catch it.
    response = client.get("/healthz", secure=False)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch("psp.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_the_favicon_is_the_static_icon_that_every_page_names(client):
    response = client.get("/favicon.ico", secure=True)
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
    assert "<svg" in Path(finders.find("img/favicon.svg")).read_text()
    login = client.get("/accounts/login/", secure=True)
    assert b'<link rel="icon" href="/static/img/favicon.svg"' in login.content
