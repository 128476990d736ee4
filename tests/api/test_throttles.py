"""The API's rate limits: a token's calls are counted per token, session calls per person; over
a rate the answer is a 429 in the error format with Retry-After, and nobody else is slowed."""

from uuid import uuid4

import pytest
from rest_framework.test import APIClient

from psp.env import env_rate
from tests.api.helpers import api, assert_error, token_header

BURST = 3


@pytest.fixture(autouse=True)
def rates(settings):
    """A burst of 3 a minute (the suite runs with no limits: tests/conftest.py), counted in the
    configured cache (Redis in full mode) under a key prefix of this test's own, so counts start
    from nothing whatever an earlier test left there, and nothing else in the cache is touched."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"sustained": "2000/hour", "burst": f"{BURST}/minute"},
    }
    default = settings.CACHES["default"]
    settings.CACHES = {**settings.CACHES, "default": {**default, "KEY_PREFIX": uuid4().hex}}


def spend(client, url: str) -> None:
    for _ in range(BURST):
        assert client.get(url).status_code == 200


def test_a_token_over_its_rate_is_answered_429_with_retry_after(world):
    client = APIClient(**token_header(world, world.admin))
    url = api(world, "practices/")
    spend(client, url)
    response = client.get(url)
    error = assert_error(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in error["message"].lower()


def test_refused_calls_count_too(world):
    """Probing ids that do not exist spends the allowance as reading does."""
    client = APIClient(**token_header(world, world.admin))
    for _ in range(BURST):
        assert client.get(api(world, "practices/999999/")).status_code == 404
    assert_error(client.get(api(world, "practices/")), 429, "throttled")


def test_another_token_of_the_same_person_is_not_affected(world):
    first = APIClient(**token_header(world, world.admin, "First"))
    second = APIClient(**token_header(world, world.admin, "Second"))
    url = api(world, "practices/")
    spend(first, url)
    assert first.get(url).status_code == 429
    assert second.get(url).status_code == 200


def test_session_calls_are_counted_per_person(world):
    coach, manager = APIClient(), APIClient()
    coach.force_login(world.coach)
    manager.force_login(world.manager)
    url = api(world, "practices/")
    spend(coach, url)
    assert_error(coach.get(url), 429, "throttled")
    assert manager.get(url).status_code == 200
    # The same person in a second session shares the count; their token does not.
    again = APIClient()
    again.force_login(world.coach)
    assert again.get(url).status_code == 429
    assert APIClient(**token_header(world, world.coach)).get(url).status_code == 200


def test_the_sustained_rate_holds_too(world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"sustained": "2/hour", "burst": "100/minute"},
    }
    client = APIClient(**token_header(world, world.admin))
    url = api(world, "practices/")
    client.get(url)
    client.get(url)
    response = client.get(url)
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 60


def test_rates_are_checked_when_the_settings_load(monkeypatch):
    monkeypatch.setenv("PSP_API_RATE", "2000 per hour")
    with pytest.raises(ValueError, match="PSP_API_RATE"):
        env_rate("PSP_API_RATE", "2000/hour")
    monkeypatch.setenv("PSP_API_RATE", "off")
    assert env_rate("PSP_API_RATE", "2000/hour") is None
    monkeypatch.delenv("PSP_API_RATE")
    assert env_rate("PSP_API_RATE", "2000/hour") == "2000/hour"
