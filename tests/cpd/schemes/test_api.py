"""The schemes API: everyone reads the schemes (a person reads the rules they are under), admins
write them through the same services as the pages (changed rules are a new version), versions,
template loading, verifiers; ids looked up inside the program only."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cpd.models import CpdScheme, CpdSchemeMember, CpdVerifier
from psp.tenancy.scope import program_scope
from tests.cpd.rules_examples import annual_hours, family
from tests.cpd.scheme_factories import add_version, make_scheme
from tests.permissions.cells import new_token

pytestmark = pytest.mark.django_db


def api(world, user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {new_token(world, user).key}")
    return client


def api_url(world, name: str, **kwargs) -> str:
    return reverse(name, kwargs={"program": world.program.slug, **kwargs})


BODY = {
    "code": "nursing",
    "name": "Nursing hours",
    "body": "A college of nurses",
    "rules": annual_hours(),
    "applies_to_roles": ["staff"],
}


def test_an_admin_writes_a_scheme_and_staff_read_it_in_words_without_its_people(world):
    made = api(world, world.admin).post(
        api_url(world, "cpd-schemes-list"),
        BODY | {"people": [world.coach.pk]},
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["version"] == 1 and made.json()["people"] == [world.coach.pk]

    read = api(world, world.staff).get(api_url(world, "cpd-schemes-detail", pk=made.json()["id"]))
    assert read.status_code == 200
    data = read.json()
    assert data["rules"] == annual_hours()
    assert data["rules_in_words"]["summary"] == (
        "12 hours each year from each person's own start date."
    )
    assert "people" not in data


def test_staff_may_not_write_a_scheme(world):
    refused = api(world, world.staff).post(api_url(world, "cpd-schemes-list"), BODY, format="json")
    assert refused.status_code == 403
    with program_scope(world.program):
        assert not CpdScheme.objects.exists()


def test_rules_problems_come_back_by_path_and_nothing_is_saved(world):
    bad = family(required__total=0)
    bad["credit_rules"][0]["category"] = "nowhere"
    answer = api(world, world.admin).post(
        api_url(world, "cpd-schemes-list"), BODY | {"rules": bad}, format="json"
    )
    assert answer.status_code == 400
    fields = answer.json()["error"]["fields"]
    assert fields["rules.required.total"] == ["Enter a number above 0."]
    assert fields["rules.credit_rules[0].category"] == ["Choose one of the scheme's categories."]
    with program_scope(world.program):
        assert not CpdScheme.objects.exists()


def test_changing_the_rules_writes_a_new_version_listed_with_what_changed(world):
    scheme = make_scheme(world.program, family())
    client = api(world, world.admin)
    changed = client.patch(
        api_url(world, "cpd-schemes-detail", pk=scheme.pk),
        {"rules": family(required__total=300), "note": "Raised by the college."},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["version"] == 2

    versions = api(world, world.lead).get(api_url(world, "cpd-schemes-versions", pk=scheme.pk))
    assert [v["number"] for v in versions.json()] == [2, 1]
    newest = versions.json()[0]
    assert newest["note"] == "Raised by the college."
    assert newest["changes"] == [
        "Requirement: was “250 credits over 5 years from 1 July, at least 25 each year.”, "
        "now “300 credits over 5 years from 1 July, at least 25 each year.”"
    ]


def test_details_and_reach_change_without_a_new_version_and_the_code_stays(world):
    scheme = make_scheme(world.program, family())
    client = api(world, world.admin)
    answer = client.patch(
        api_url(world, "cpd-schemes-detail", pk=scheme.pk),
        {"name": "Family practice", "applies_to_sectors": ["law"], "people": [world.staff.pk]},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["version"] == 1
    with program_scope(world.program):
        scheme.refresh_from_db()
        assert scheme.name == "Family practice" and scheme.applies_to_sectors == ["law"]
        assert list(CpdSchemeMember.objects.values_list("user", flat=True)) == [world.staff.pk]
    moved = client.patch(
        api_url(world, "cpd-schemes-detail", pk=scheme.pk), {"code": "other"}, format="json"
    )
    assert moved.status_code == 400
    assert moved.json()["error"]["fields"]["code"] == ["A scheme's code stays as it was made."]


def test_another_programs_person_cannot_be_chosen(world, other_world):
    scheme = make_scheme(world.program, family())
    answer = api(world, world.admin).patch(
        api_url(world, "cpd-schemes-detail", pk=scheme.pk),
        {"people": [other_world.staff.pk]},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"]["people"] == [
        f"No person with id {other_world.staff.pk} in this program."
    ]


def test_a_template_loads_once(world):
    client = api(world, world.admin)
    path = api_url(world, "cpd-schemes-load-template")
    first = client.post(path, {"template": "teaching"}, format="json")
    second = client.post(path, {"template": "teaching"}, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["rules_in_words"]["summary"] == "20 hours each year from 1 September."
    unknown = client.post(path, {"template": "astrology"}, format="json")
    assert unknown.status_code == 400


def test_the_versions_of_a_scheme_are_read_in_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    scheme = make_scheme(world.program, family())
    for total in (260, 270, 280, 290):
        add_version(scheme, family(required__total=total))
    client = api(world, world.staff)
    with django_assert_max_num_queries(12):
        answer = client.get(api_url(world, "cpd-schemes-versions", pk=scheme.pk))
    assert len(answer.json()) == 5


def test_verifiers_are_named_listed_and_removed_by_admins(world):
    client = api(world, world.admin)
    named = client.post(
        api_url(world, "cpd-verifiers-list"), {"user": world.coach.pk}, format="json"
    )
    assert named.status_code == 201, named.json()
    assert named.json()["person"]["full_name"] == "Coach of North PSP"
    again = client.post(
        api_url(world, "cpd-verifiers-list"), {"user": world.coach.pk}, format="json"
    )
    assert again.status_code == 400
    listed = client.get(api_url(world, "cpd-verifiers-list")).json()
    assert [row["user"] for row in listed["results"]] == [world.coach.pk]
    assert api(world, world.manager).get(api_url(world, "cpd-verifiers-list")).status_code == 403
    gone = client.delete(api_url(world, "cpd-verifiers-detail", pk=named.json()["id"]))
    assert gone.status_code == 204
    with program_scope(world.program):
        assert not CpdVerifier.objects.exists()
