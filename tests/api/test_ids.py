"""An id in a URL is ASCII digits or it names nothing: "³" (which int() refuses) and "١٢" (which
int() reads as 12) are a 404 in the error format on every detail route, never a 500 or another
row."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from assessments.models import QuestionKind
from assessments.rounds.answers import clean_answer
from psp.api.urls import router
from psp.numbers import MAX_ID, parse_id
from tests.api.helpers import api, assert_error, token_header

# Superscript three, Arabic-Indic twelve, and a 1 followed by an Arabic-Indic two.
NOT_ASCII_IDS = ("³", "١٢", "1٢")
METHODS = ("get", "post", "put", "patch", "delete")


def _detail_operations() -> list[tuple[str, str, str]]:
    """(route name, method, path with {id}) for every operation on one object of the router."""
    operations = []
    for pattern in router.urls:
        view_class = pattern.callback.cls
        lookup = getattr(view_class, "lookup_url_kwarg", None) or getattr(
            view_class, "lookup_field", "pk"
        )
        if lookup not in pattern.pattern.regex.groupindex:
            continue
        path = pattern.pattern.regex.pattern.removeprefix("^").removesuffix("$")
        path = path.split("/", 2)[2]  # past programs/<program>/
        path = path.replace(f"(?P<{lookup}>[^/.]+)", "{id}")
        for method in METHODS:
            if method in pattern.callback.actions and method in view_class.http_method_names:
                operations.append((pattern.name, method, path))
    return operations


OPERATIONS = _detail_operations()


def test_every_detail_operation_is_walked():
    # A floor, raised as routes are added: if discovery breaks, the test must not pass by
    # walking nothing.
    assert len(OPERATIONS) >= 63, OPERATIONS


@pytest.mark.parametrize("not_ascii", NOT_ASCII_IDS)
@pytest.mark.parametrize(("name", "method", "path"), OPERATIONS, ids=lambda v: str(v))
def test_a_unicode_digit_id_is_not_found(world, name, method, path, not_ascii):
    # As someone who may act on the route: the admin, or for what only coaches and practice
    # people do (logging visits, answering) a coach; a role that may not is refused before any
    # lookup (403 whatever the id, docs/permissions.md).
    for person in (world.admin, world.coach):
        client = APIClient(**token_header(world, person))
        url = api(world, path.format(id=not_ascii))
        response = getattr(client, method)(url, {}, format="json")
        if response.status_code != 403:
            break
    assert_error(response, 404, "not_found")


def test_an_arabic_indic_id_does_not_read_another_row(world):
    """Practice 12 exists; "١٢" still names nothing."""
    client = APIClient(**token_header(world, world.admin))
    practice = world.practice
    assert client.get(api(world, f"practices/{practice.pk}/")).status_code == 200
    arabic = str(practice.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert_error(client.get(api(world, f"practices/{arabic}/")), 404, "not_found")


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", 12), ("007", 7), ("³", None), ("١٢", None), ("1٢", None), ("-1", None), (" 1", None)],
)
def test_ids_are_read_as_ascii_digits_only(text, number):
    assert parse_id(text) == number


def test_an_id_past_any_row_or_of_thousands_of_digits_names_nothing():
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id(str(MAX_ID + 1)) is None
    assert parse_id("9" * 5000) is None  # int() itself refuses strings this long


@pytest.mark.parametrize("typed", ["³", "-³", "١", "2.5"])
def test_a_scale_answer_in_other_digits_is_refused_with_the_range(typed):
    question = SimpleNamespace(kind=QuestionKind.SCALE, scale_min=1, scale_max=5, allow_na=False)
    with pytest.raises(ValidationError, match="from 1 to 5"):
        clean_answer(question, typed)
    assert clean_answer(question, " 4 ") == (4, False)
