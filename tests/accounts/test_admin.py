"""The Django admin for platform operators works across programs on purpose."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from psp.accounts import services
from psp.accounts.models import Invitation, User
from psp.tenancy.models import ProgramMembership, ProgramRole
from psp.tenancy.scope import no_program_scope, program_scope
from tests.factories import UserFactory, give_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client, db):
    person = User.objects.create_superuser("operator@example.org", "an-operator-password-9")
    give_totp(person)  # operators use two-factor authentication to reach the admin
    client.force_login(person)
    return person


@pytest.fixture
def rows(world, other_world):
    made = {}
    for w in (world, other_world):
        with program_scope(w.program):
            token, _ = services.api_token_create(program=w.program, user=w.manager, name="export")
            invitation = Invitation.objects.create(
                email=f"inv@{w.program.slug}.example.org",
                role=ProgramRole.COACH,
                token_hash=Invitation.hash_token(w.program.slug),
                expires_at=timezone.now() + timedelta(days=1),
            )
        made[w.program.slug] = {"token": token, "invitation": invitation}
    return made


@pytest.mark.parametrize("model", ["programmembership", "apitoken", "invitation"])
def test_the_admin_lists_every_programs_rows_with_their_program(client, operator, rows, model):
    app = "tenancy" if model == "programmembership" else "accounts"
    with no_program_scope():
        page = client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert page.status_code == 200
    assert "North PSP" in page.text and "South PSP" in page.text


@pytest.mark.parametrize("model", ["apitoken", "invitation"])
def test_the_admin_opens_a_program_owned_row(client, operator, rows, model):
    row = rows["south-psp"]["token" if model == "apitoken" else "invitation"]
    page = client.get(reverse(f"admin:accounts_{model}_change", args=[row.pk]))
    assert page.status_code == 200
    assert "South PSP" in page.text
    if model == "invitation":
        assert row.token_hash not in page.text
    else:
        assert row.key_hash not in page.text


def test_the_admin_adds_a_membership_inside_its_program(client, operator, world):
    person = UserFactory(email="joiner@example.org")
    response = client.post(
        reverse("admin:tenancy_programmembership_add"),
        {"program": world.program.pk, "user": person.pk, "role": "coach", "is_active": "on"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ProgramMembership.all_programs.get(user=person).program == world.program


def test_the_admin_refuses_a_second_membership_in_the_same_program(client, operator, world):
    response = client.post(
        reverse("admin:tenancy_programmembership_add"),
        {"program": world.program.pk, "user": world.coach.pk, "role": "admin"},
    )
    assert response.status_code == 200
    assert ProgramMembership.all_programs.get(user=world.coach).role == ProgramRole.COACH


def test_the_admin_creates_people_who_sign_in_with_their_email(client, operator):
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Ops.Person@Example.org",
            "full_name": "Ops Person",
            "password1": "a-long-enough-password-7",
            "password2": "a-long-enough-password-7",
        },
    )
    assert response.status_code == 302
    person = User.objects.get(email="ops.person@example.org")
    assert person.check_password("a-long-enough-password-7")
    assert client.get(reverse("admin:accounts_user_change", args=[person.pk])).status_code == 200


def test_the_admin_edits_a_programs_row_without_moving_it(client, operator, rows):
    token = rows["north-psp"]["token"]
    page = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    form = page.context["adminform"].form
    assert "program" not in form.fields and "user" not in form.fields
