"""The scheme pages: the list with its templates, a scheme in plain words, the rules form (a new
version on save, every refusal beside its field with nothing changed), writing a scheme by hand,
who it applies to, the verifiers; admins only, and fixed query counts."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cpd.models import CpdScheme, CpdSchemeMember, CpdSchemeVersion, CpdVerifier
from cpd.schemes import services
from psp.tenancy.scope import program_scope
from tests.cpd.rules_examples import family
from tests.cpd.scheme_factories import make_scheme
from tests.cpd.schemes.helpers import rules_post, url
from tests.factories import PracticeMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's messages and main content as a person reads them."""
    html = response.content.decode()
    main = html[html.index("</header>") : html.index("</main>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main)))


def scheme_of(world, code="family-medicine"):
    with program_scope(world.program):
        return CpdScheme.objects.select_related("current_version").get(code=code)


def load(world, key="family-medicine"):
    with program_scope(world.program):
        return services.scheme_load_template(program=world.program, key=key, by=world.admin)[0]


def test_the_list_offers_the_templates_and_loading_one_opens_it(client, world):
    client.force_login(world.admin)
    page = text(client.get(url(world, "list")))
    assert "No scheme yet." in page
    assert "Family medicine (five-year credits)" in page
    assert "Law society (annual hours)" in page

    response = client.post(url(world, "list"), {"template": "family-medicine"})

    scheme = scheme_of(world)
    assert response["Location"] == url(world, "detail", pk=scheme.pk)
    listed = text(client.get(url(world, "list")))
    assert "250 credits over 5 years from 1 July, at least 25 each year." in listed
    assert "Loaded" in listed


def test_loading_a_template_twice_leaves_the_scheme_and_says_so(client, world):
    client.force_login(world.admin)
    scheme = load(world)
    response = client.post(url(world, "templates"), {"template": "family-medicine"}, follow=True)
    assert "is here already; it was left as it is" in text(response)
    with program_scope(world.program):
        assert CpdScheme.objects.get().pk == scheme.pk


def test_an_unknown_template_is_named_on_the_page(client, world):
    client.force_login(world.admin)
    response = client.post(url(world, "templates"), {"template": "astrology"})
    assert response.status_code == 200
    assert "There is no scheme template called “astrology”." in text(response)


def test_the_templates_page_gives_each_templates_rules_in_plain_words(client, world):
    client.force_login(world.admin)
    page = text(client.get(url(world, "templates")))
    assert "12 hours each year from 1 January." in page
    assert "Ethics and professional responsibility: at least 2 hours a cycle." in page
    assert "Up to 6 hours above the total, earned in the cycle's last year, carry into" in page


def test_a_schemes_page_says_its_rules_versions_and_people(client, world):
    client.force_login(world.admin)
    scheme = load(world)
    page = text(client.get(url(world, "detail", pk=scheme.pk)))
    assert "250 credits over 5 years from 1 July, at least 25 each year." in page
    assert "Assessment (part of Certified learning): at least 25 credits a cycle." in page
    assert "Practice audit: 3 credits per hour, as Assessment." in page
    assert "2 people under this scheme" in page
    assert "Lead of North PSP · Practice lead at North PSP Health Centre" in page
    assert "Loaded from the “Family medicine (five-year credits)” template." in page


def test_the_rules_form_shows_the_rules_and_saving_a_change_writes_version_2(client, world):
    client.force_login(world.admin)
    scheme = load(world)
    form = client.get(url(world, "rules", pk=scheme.pk)).content.decode()
    assert 'name="total"' in form and 'value="250"' in form
    assert 'name="categories-2-key"' in form and 'value="assessment"' in form

    rules = scheme.current_version.rules
    rules["categories"][0]["minimum"] = 100
    response = client.post(
        url(world, "rules", pk=scheme.pk),
        rules_post(rules, note="The college lowered the certified minimum.", total="200"),
    )

    assert response["Location"] == url(world, "detail", pk=scheme.pk)
    scheme = scheme_of(world)
    assert scheme.current_version.number == 2
    assert scheme.current_version.rules["required"]["total"] == 200
    assert scheme.current_version.rules["categories"][0]["minimum"] == 100
    assert len(scheme.current_version.rules["credit_rules"]) == 9  # the spare rows are skipped
    page = text(client.get(response["Location"]))
    assert "The college lowered the certified minimum." in page
    assert "Category changed: was “Certified learning: at least 125 credits a cycle.”" in page


def test_rows_are_added_and_removed_in_the_form(client, world):
    client.force_login(world.admin)
    scheme = load(world, "teaching")
    rules = scheme.current_version.rules
    data = rules_post(rules)
    data["credit_rules-0-DELETE"] = "on"  # workshops earn nothing any more
    spare = len(rules["categories"])
    data |= {
        f"categories-{spare}-key": "leadership",
        f"categories-{spare}-name": "Leadership",
        f"categories-{spare}-minimum": "2",
    }

    client.post(url(world, "rules", pk=scheme.pk), data)

    saved = scheme_of(world, "teaching").current_version.rules
    assert [c["key"] for c in saved["categories"]][-1] == "leadership"
    assert "workshop" not in [r["activity_type"] for r in saved["credit_rules"]]


def test_bad_rules_are_named_beside_their_fields_and_nothing_changes(client, world):
    client.force_login(world.admin)
    scheme = load(world)
    rules = scheme.current_version.rules
    data = rules_post(rules, fixed_month="4", fixed_day="31", total="100")
    data["categories-2-parent"] = "self-directed"
    data["credit_rules-1-rate"] = "0"

    response = client.post(url(world, "rules", pk=scheme.pk), data)

    assert response.status_code == 200
    page = text(response)
    assert "on day: Enter a whole number from 1 to 30." in page
    assert "The categories' minimums add up to 125, more than the 100 required in total." in page
    assert "Credit rule 2, earns: Enter a number above 0." in page
    html = unescape(response.content.decode())
    categories = html[html.index('id="cpd-categories"') : html.index("Category 1</legend>")]
    assert "more than the 100 required in total" in categories  # beside the rows it is about
    fixed_day = html[html.index('for="id_fixed_day"') : html.index('name="fixed_day"')]
    assert "Enter a whole number from 1 to 30." in fixed_day
    with program_scope(world.program):
        assert CpdSchemeVersion.objects.count() == 1


def test_a_sub_category_under_a_sub_category_is_refused_on_its_row(client, world):
    client.force_login(world.admin)
    scheme = load(world)
    data = rules_post(scheme.current_version.rules)
    data |= {
        "categories-3-key": "quiz",
        "categories-3-name": "Quiz",
        "categories-3-minimum": "0",
        "categories-3-parent": "assessment",
    }
    page = text(client.post(url(world, "rules", pk=scheme.pk), data))
    assert (
        "Category 4, part of: The parent must be another category that has no parent itself."
        in page
    )


def test_the_same_rules_again_write_no_version(client, world):
    client.force_login(world.admin)
    scheme = load(world)
    response = client.post(
        url(world, "rules", pk=scheme.pk), rules_post(scheme.current_version.rules), follow=True
    )
    assert "The rules are as they were: no new version was written." in text(response)


def test_an_admin_writes_a_scheme_by_hand_then_chooses_who_it_applies_to(client, world):
    client.force_login(world.admin)
    assert client.get(url(world, "new")).status_code == 200
    data = rules_post(family(carry_over=None)) | {
        "scheme-name": "Nursing hours",
        "scheme-code": "nursing",
        "scheme-body": "A college of nurses",
        "scheme-description": "",
        "scheme-is_active": "on",
    }
    response = client.post(url(world, "new"), data)
    scheme = scheme_of(world, "nursing")
    assert response["Location"] == url(world, "applies_to", pk=scheme.pk)
    assert scheme.current_version.number == 1 and scheme.applies_to_roles == []

    response = client.post(
        url(world, "applies_to", pk=scheme.pk),
        {"roles": ["staff"], "sectors": ["primary_care"], "people": [str(world.coach.pk)]},
    )
    assert response["Location"] == url(world, "detail", pk=scheme.pk)
    page = text(client.get(response["Location"]))
    assert "Coach of North PSP · Chosen by hand" in page
    assert "Staff of North PSP · Practice staff at North PSP Health Centre" in page


def test_a_taken_code_is_named_when_writing_a_scheme(client, world):
    client.force_login(world.admin)
    load(world)
    data = rules_post(family()) | {"scheme-name": "Again", "scheme-code": "family-medicine"}
    page = text(client.post(url(world, "new"), data))
    assert "Code: The code “family-medicine” is already used by another scheme here." in page
    with program_scope(world.program):
        assert CpdScheme.objects.count() == 1


def test_details_are_edited_and_the_code_stays(client, world):
    client.force_login(world.admin)
    scheme = load(world)
    response = client.post(
        url(world, "edit", pk=scheme.pk),
        {"name": "Family practice", "code": "changed", "body": "", "description": ""},
    )
    assert response.status_code == 302
    scheme = scheme_of(world)
    assert (scheme.name, scheme.code, scheme.is_active) == (
        "Family practice",
        "family-medicine",
        False,
    )


def test_verifiers_are_named_and_removed(client, world):
    client.force_login(world.admin)
    page = client.get(url(world, "verifiers")).content.decode()
    assert f'value="{world.manager.pk}"' in page
    assert f'value="{world.admin.pk}"' not in page  # admins verify already

    client.post(url(world, "verifiers"), {"user": str(world.manager.pk)})
    with program_scope(world.program):
        verifier = CpdVerifier.objects.get()
    assert verifier.user == world.manager
    assert "Manager of North PSP" in text(client.get(url(world, "verifiers")))

    client.post(url(world, "verifier_remove", pk=verifier.pk))
    with program_scope(world.program):
        assert not CpdVerifier.objects.exists()


@pytest.mark.parametrize("role", ["manager", "coach", "lead", "staff"])
def test_only_admins_reach_the_scheme_pages(client, world, role):
    client.force_login(world.user(role))
    assert client.get(url(world, "list")).status_code == 403


def test_another_programs_scheme_is_not_found(client, world, other_world):
    theirs = make_scheme(other_world.program, family())
    client.force_login(world.admin)
    for name in ("detail", "rules", "edit", "applies_to"):
        assert client.get(url(world, name, pk=theirs.pk)).status_code == 404


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_list_and_a_scheme_page_run_the_same_queries_however_many_people(client, world):
    client.force_login(world.admin)
    scheme = load(world)
    load(world, "specialist")
    pages = (url(world, "list"), url(world, "detail", pk=scheme.pk))
    [_queries(client, path) for path in pages]  # the session's first reads are done once
    before = [_queries(client, path) for path in pages]
    for _ in range(6):
        person = UserFactory()
        PracticeMembershipFactory(program=world.program, practice=world.practice, user=person)
        with program_scope(world.program):
            CpdSchemeMember.objects.create(program=world.program, scheme=scheme, user=person)
    load(world, "teaching")
    assert [_queries(client, path) for path in pages] == before
