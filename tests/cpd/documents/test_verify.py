"""The public check of a transcript's or certificate's code: anyone, signed in or not, sees
whom it was issued to and what it attested, and nothing more; guessing is slowed down."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cpd.credentials.models import CpdCredential
from cpd.credentials.services import credential_revoke
from psp.tenancy.scope import program_scope
from tests.cpd.documents.conftest import LAST_YEAR, MET_TITLE
from tests.cpd.documents.helpers import sections

pytestmark = pytest.mark.django_db
CHECK = reverse("verify:check")


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()  # the lookups are counted per address in the cache
    yield
    cache.clear()


def issued(world, docs, code="cpd_certificate") -> CpdCredential:
    sections(world, code, docs.met)
    with program_scope(world.program):
        return CpdCredential.objects.order_by("-pk").first()


def test_a_code_shows_whom_it_was_issued_to_and_what_it_attested_and_nothing_more(
    client, docs, world
):
    credential = issued(world, docs)

    page = client.get(reverse("verify:code", kwargs={"code": credential.display_code}))

    html = page.content.decode()
    assert page.status_code == 200
    assert "A genuine CPD certificate" in html
    assert world.staff.full_name in html
    assert "Annual CPD" in html
    assert f"1 Jan {LAST_YEAR}" in html and f"31 Dec {LAST_YEAR}" in html
    assert re.search(rf"Requirements met on <time datetime=\"{LAST_YEAR}-09-20\">", html)
    assert f'Issued on</dt><dd><time datetime="{timezone.localdate():%Y-%m-%d}"' in html
    # Nothing else of the person, their CPD or the program.
    private_data = (world.staff.email, MET_TITLE, "credits", world.practice.name, "Law society")
    for private in (*private_data, world.program.slug, "ethics-certificate.pdf"):
        assert private.lower() not in html.lower(), private


def test_the_code_is_read_with_or_without_dashes_in_any_case(client, docs, world):
    credential = issued(world, docs, "cpd_transcript")

    for typed in (credential.code.lower(), f" {credential.display_code} ", credential.code):
        page = client.get(CHECK, {"code": typed})
        assert page.status_code == 200, typed
        assert "A genuine CPD transcript" in page.content.decode()


def test_an_unknown_code_gets_one_neutral_answer(client, docs, world):
    issued(world, docs)

    for typed in ("ABCD-EFGH-JKMN", "not a code", "0000-1111-OOOO"):
        page = client.get(CHECK, {"code": typed})
        html = page.content.decode()
        assert page.status_code == 404
        assert "No document with this code" in html
        assert world.staff.full_name not in html


def test_the_form_alone_needs_no_sign_in_and_has_a_labelled_field(client, db):
    page = client.get(CHECK)

    html = page.content.decode()
    assert page.status_code == 200
    assert '<label for="id_code">Verification code' in html
    assert "No document with this code" not in html


def test_a_revoked_credential_says_so(client, docs, world):
    credential = issued(world, docs)
    with program_scope(world.program):
        credential_revoke(program=world.program, credential=credential, by=world.admin)

    page = client.get(reverse("verify:code", kwargs={"code": credential.code}))

    html = page.content.decode()
    assert page.status_code == 200
    assert "This CPD certificate was revoked" in html
    assert "Revoked on" in html


def test_an_older_code_still_verifies_after_the_document_is_made_again(client, docs, world):
    first = issued(world, docs, "cpd_transcript")
    second = issued(world, docs, "cpd_transcript")

    assert first.code != second.code
    for credential in (first, second):
        page = client.get(reverse("verify:code", kwargs={"code": credential.code}))
        assert page.status_code == 200


def test_lookups_past_the_limit_answer_429_until_the_window_ends(client, db):
    for _ in range(20):
        assert client.get(CHECK, {"code": "ABCD-EFGH-JKMN"}).status_code == 404

    page = client.get(reverse("verify:code", kwargs={"code": "ABCD-EFGH-JKMN"}))

    assert page.status_code == 429
    assert int(page["Retry-After"]) > 0
    assert "Too many checks" in page.content.decode()
    # Another address is not held back.
    other = client.get(CHECK, {"code": "ABCD-EFGH-JKMN"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 404
