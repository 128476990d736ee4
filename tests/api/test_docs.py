"""The API reference page (/api/v1/docs/): rendered on the server from the schema /api/v1/schema/
serves, every operation and schema of it, in the app's layout (language, header, a way back)."""

import html
import re

from django.urls import reverse

from psp.api.reference import (
    TypeName,
    api_reference,
    prose,
    reference_from,
    tag_title,
    type_name,
)
from psp.tenancy.models import ProgramRole
from tests.api.schema_helpers import api_document
from tests.factories import MembershipFactory, ProgramFactory

METHODS = ("get", "post", "put", "patch", "delete")


def page_text(client) -> str:
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_reference_lists_every_operation_of_the_schema_with_an_anchor(client, db):
    text = page_text(client)
    document = api_document()
    operations = [
        (path, spec["operationId"])
        for path, item in document["paths"].items()
        for method, spec in item.items()
        if method in METHODS
    ]
    assert len(operations) > 50
    for path, operation_id in operations:
        assert f'<code class="api-path">{path}</code>' in text
        assert f'id="op-{operation_id}"' in text
        assert f'href="#op-{operation_id}"' in text  # in the contents
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in text
    # Every link to a schema lands on one the page has.
    for target in set(re.findall(r'href="#(schema-[^"]+)"', text)):
        assert f'id="{target}"' in text, target


def test_an_operation_shows_its_parameters_body_and_answers(client, db):
    reference = api_reference()
    operation = next(
        op
        for tag in reference.tags
        for op in tag.operations
        if op.method == "POST" and op.path.endswith("/practices/")
    )
    assert operation.body is not None and operation.body.ref == "PracticeRequest"
    assert "201" in [answer.status for answer in operation.answers]
    assert {"400", "401", "403", "413", "415"} <= set(operation.shared_errors)
    listing = next(
        op
        for tag in reference.tags
        for op in tag.operations
        if op.method == "GET" and op.path.endswith("/practices/")
    )
    assert {"program", "page"} <= {parameter.name for parameter in listing.parameters}
    text = page_text(client)
    assert "Errors" in text and "Too many requests" in text
    assert "Authorization" in text


def test_the_page_has_a_language_and_the_apps_header(client, db):
    response = client.get(reverse("api-docs"))
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert 'class="site-header"' in content and 'href="/"' in content
    assert reverse("api-schema") in content


def test_a_signed_in_person_sees_their_programs_header_and_navigation(client, world):
    client.force_login(world.staff)
    text = page_text(client)
    assert world.program.name in text
    assert reverse("program_home", kwargs={"program": world.program.slug}) in text


def test_someone_in_two_programs_sees_the_one_they_used_last(client, world):
    other = ProgramFactory(slug="east-psp", name="East PSP")
    MembershipFactory(program=other, user=world.staff, role=ProgramRole.PRACTICE)
    client.force_login(world.staff)
    assert 'class="brand__name">PSP Platform<' in page_text(client)
    session = client.session
    session["last_program"] = other.slug
    session.save()
    assert 'class="brand__name">East PSP<' in page_text(client)


def test_the_schema_is_served_as_before(client, db):
    response = client.get(reverse("api-schema"))
    assert response.status_code == 200
    assert b"openapi: 3" in response.content


def test_descriptions_are_escaped_and_keep_their_code_and_lists():
    rendered = prose("Send `Token <key>`.\n\n* `a` - A\n* `b` - B")
    assert rendered == (
        "<p>Send <code>Token &lt;key&gt;</code>.</p>"
        "<ul><li><code>a</code> - A</li><li><code>b</code> - B</li></ul>"
    )


def test_type_names_say_arrays_formats_and_null():
    visits = {"type": "array", "items": {"$ref": "#/components/schemas/Visit"}}
    assert type_name(visits) == TypeName(before="array of ", ref="Visit")
    assert type_name({"type": "string", "format": "date", "nullable": True}).before == (
        "string (date), or null"
    )


def test_resources_read_as_words_and_plain_operations_say_what_they_do():
    assert tag_title("api-tokens") == "API tokens"
    assert tag_title("plan-actions") == "Plan actions"
    document = {
        "paths": {
            "/api/v1/programs/{program}/visits/": {"get": {"tags": ["visits"]}},
            "/api/v1/programs/{program}/visits/{id}/": {"patch": {"tags": ["visits"]}},
        }
    }
    operations = reference_from(document).tags[0].operations
    assert [(op.summary, op.short_path) for op in operations] == [
        ("List", "/visits/"),
        ("Change part of one", "/visits/{id}/"),
    ]
