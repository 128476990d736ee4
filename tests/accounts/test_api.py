"""The people API: members and invitations, through the same matrix as the pages."""

import pytest
from django.urls import reverse

from psp.accounts.models import Invitation

pytestmark = pytest.mark.django_db


def api(world, path):
    return f"/api/v1/programs/{world.program.slug}/{path}"


def test_admins_and_managers_list_members_with_their_practices(api_client, world):
    for role in ("admin", "manager"):
        api_client.force_authenticate(world.user(role))
        response = api_client.get(api(world, "members/"))
        assert response.status_code == 200
        rows = {m["email"]: m for m in response.json()["results"]}
        assert set(rows) == {
            world.user(r).email
            for r in ("admin", "manager", "coach", "other_coach", "lead", "staff")
        }
        assert rows[world.lead.email]["practices"] == [
            {"practice": world.practice.pk, "practice_name": world.practice.name, "role": "lead"}
        ]
        assert rows[world.coach.email]["practices"] == []


def test_members_can_be_filtered_by_role(api_client, world):
    api_client.force_authenticate(world.admin)
    rows = api_client.get(api(world, "members/"), {"role": "coach"}).json()["results"]
    assert {m["email"] for m in rows} == {world.coach.email, world.other_coach.email}


@pytest.mark.parametrize("role", ["coach", "lead", "staff"])
def test_coaches_and_practice_people_may_not_list_members(api_client, world, role):
    api_client.force_authenticate(world.user(role))
    response = api_client.get(api(world, "members/"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_members_is_read_only(api_client, world):
    api_client.force_authenticate(world.admin)
    assert api_client.post(api(world, "members/"), {}, format="json").status_code == 405


def test_an_admin_invites_through_the_api_and_the_email_goes_out_after_commit(
    api_client, world, other_world, mailoutbox, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            api(world, "invitations/"),
            {
                "email": "api@example.org",
                "role": "practice",
                "practice": world.practice.pk,
                "practice_role": "lead",
                # Ignored: the program comes from the URL.
                "program": other_world.program.pk,
            },
            format="json",
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending" and body["practice"] == world.practice.pk
    invitation = Invitation.all_programs.get(pk=body["id"])
    assert invitation.program == world.program
    assert [m.to for m in mailoutbox] == [["api@example.org"]]
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_a_practice_of_another_program_is_an_invalid_choice(api_client, world, other_world):
    api_client.force_authenticate(world.admin)
    response = api_client.post(
        api(world, "invitations/"),
        {
            "email": "x@example.org",
            "role": "practice",
            "practice": other_world.practice.pk,
            "practice_role": "staff",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "practice" in response.json()["error"]["fields"]
    assert not Invitation.all_programs.exists()


def test_service_rules_come_back_as_field_errors(api_client, world):
    api_client.force_authenticate(world.admin)
    response = api_client.post(
        api(world, "invitations/"), {"email": world.coach.email, "role": "coach"}, format="json"
    )
    assert response.status_code == 400
    assert "already a member" in response.json()["error"]["fields"]["email"][0]


@pytest.mark.parametrize("role", ["manager", "coach"])
def test_only_admins_invite_through_the_api(api_client, world, role):
    api_client.force_authenticate(world.user(role))
    response = api_client.post(
        api(world, "invitations/"), {"email": "x@example.org", "role": "coach"}, format="json"
    )
    assert response.status_code == 403
    assert not Invitation.all_programs.exists()


def test_managers_read_invitations_and_admins_revoke_them(api_client, world):
    api_client.force_authenticate(world.admin)
    created = api_client.post(
        api(world, "invitations/"), {"email": "r@example.org", "role": "coach"}, format="json"
    ).json()
    revoke = api(world, f"invitations/{created['id']}/revoke/")

    api_client.force_authenticate(world.manager)
    assert [i["email"] for i in api_client.get(api(world, "invitations/")).json()["results"]] == [
        "r@example.org"
    ]
    assert api_client.post(revoke).status_code == 403

    api_client.force_authenticate(world.admin)
    response = api_client.post(revoke)
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    assert Invitation.all_programs.get().revoked_at is not None


def test_another_programs_invitation_is_not_found_through_the_api(api_client, world, other_world):
    api_client.force_authenticate(other_world.admin)
    theirs = api_client.post(
        api(other_world, "invitations/"),
        {"email": "t@example.org", "role": "coach"},
        format="json",
    ).json()
    api_client.force_authenticate(world.admin)
    assert api_client.post(api(world, f"invitations/{theirs['id']}/revoke/")).status_code == 404
    assert Invitation.all_programs.get().revoked_at is None


def test_the_schema_documents_the_people_endpoints(api_client, world):
    api_client.force_authenticate(world.admin)
    schema = api_client.get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    for path in ("members/", "invitations/", "invitations/{id}/revoke/", "api-tokens/"):
        assert f"/api/v1/programs/{{program}}/{path}" in paths
    assert "programToken" in schema["components"]["securitySchemes"]


def test_a_lead_invites_into_their_own_practice_but_not_another_through_the_api(world, api_client):
    from psp.accounts.models import Invitation
    from psp.tenancy.scope import program_scope

    api_client.force_authenticate(world.lead)
    url = f"/api/v1/programs/{world.program.slug}/invitations/"
    body = {"email": "new.nurse@example.org", "role": "practice", "practice_role": "staff"}

    own = api_client.post(url, {**body, "practice": world.practice.pk}, format="json")
    other = api_client.post(
        url, {**body, "email": "x@example.org", "practice": world.other_practice.pk}, format="json"
    )

    assert own.status_code == 201, own.content
    assert other.status_code == 403
    with program_scope(world.program):
        assert list(Invitation.objects.values_list("email", flat=True)) == ["new.nurse@example.org"]
