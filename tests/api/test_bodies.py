"""Request bodies an attacker shapes: JSON nested thousands deep (json recurses per level) is a
400, and a body over the size limit a 413, both in the error format, never a 500 or an HTML
page."""

import json

import pytest
from rest_framework.test import APIClient

from psp.api.parsers import MAX_JSON_DEPTH, nesting_depth
from tests.api.helpers import api, assert_error, token_header


@pytest.fixture
def client(world):
    return APIClient(**token_header(world, world.admin))


def nested(depth: int) -> str:
    """A practice whose ignored `extra` field nests arrays so that the body is `depth` deep."""
    return '{"name": "Deep Clinic", "sector": "primary_care", "extra": %s}' % (
        "[" * (depth - 1) + "]" * (depth - 1)
    )


def post(client, world, body: str):
    return client.post(api(world, "practices/"), body, content_type="application/json")


def test_json_nested_two_thousand_deep_is_a_400(client, world):
    body = "[" * 2000 + "]" * 2000  # 4 KB
    error = assert_error(post(client, world, body), 400, "parse_error")
    assert f"more than {MAX_JSON_DEPTH} levels" in error["message"]


def test_json_one_level_past_the_limit_is_refused(client, world):
    assert_error(post(client, world, nested(MAX_JSON_DEPTH + 1)), 400, "parse_error")


def test_json_at_the_limit_is_read(client, world):
    response = post(client, world, nested(MAX_JSON_DEPTH))
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Deep Clinic"


def test_brackets_inside_strings_are_text_not_nesting(client, world):
    name = "[{" * 50 + '\\"'  # 100 brackets and an escaped quote, inside the string
    body = json.dumps({"name": "NAME", "sector": "primary_care"}).replace("NAME", name)
    response = post(client, world, body)
    assert response.status_code == 201, response.content
    assert response.json()["name"] == json.loads(f'"{name}"')


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("", 0),
        ("3", 0),
        ("[]", 1),
        ('{"a": [1, {"b": 2}]}', 3),
        ('["]]]", "\\"[[["]', 1),
        ('"unterminated [[[', 0),
        ('["\\\\", [[]]]', 3),  # an escaped backslash ends before the quote
    ],
)
def test_nesting_depth_counts_brackets_outside_strings(text, depth):
    assert nesting_depth(text) == depth


def test_a_body_over_the_size_limit_is_a_json_413(client, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"name": "x" * 2000, "sector": "primary_care"})
    error = assert_error(post(client, world, body), 413, "too_large")
    assert "1000 bytes" in error["message"]


def test_a_body_under_the_size_limit_is_read(client, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"name": "Small Clinic", "sector": "primary_care"})
    assert post(client, world, body).status_code == 201


def test_a_form_body_is_refused_as_unsupported(client, world):
    response = client.post(api(world, "practices/"), {"name": "Form Clinic"}, format="multipart")
    assert_error(response, 415, "unsupported_media_type")
