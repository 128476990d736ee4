"""Tenancy fails closed by structure (issue 9): a view that forgets everything still refuses
outsiders, and a viewset cannot unseal the base, not even through a mixin placed before it."""

import pytest
from rest_framework import permissions

from practices.models import Practice
from psp.api.viewsets import (
    SEALED,
    SUMMARY_SEALED,
    ProgramReportViewSet,
    ProgramScopedViewSet,
    ProgramSummaryViewSet,
)
from psp.tenancy.access import access_for
from psp.tenancy.models import ProgramRole
from psp.tenancy.scope import program_scope
from tests.factories import MembershipFactory, PracticeMembershipFactory

pytestmark = pytest.mark.urls("tests.tenancy.fails_closed_urls")

UNSCOPED = ("plain/", "plain-viewset/", "list-override/")


def url(program, path):
    return f"/api/v1/programs/{program.slug}/{path}"


# A view under programs/<program>/ that declares nothing --------------------------------------


@pytest.mark.parametrize("path", UNSCOPED)
def test_a_member_is_answered(api_client, world, path):
    api_client.force_authenticate(world.coach)
    assert api_client.get(url(world.program, path)).status_code == 200


@pytest.mark.parametrize("path", UNSCOPED)
def test_a_member_of_another_program_gets_404(api_client, world, other_world, path):
    api_client.force_authenticate(other_world.admin)
    response = api_client.get(url(world.program, path))
    assert response.status_code == 404
    assert b"practices" not in response.content


@pytest.mark.parametrize("path", UNSCOPED)
def test_a_person_in_no_program_gets_404(api_client, world, outsider, path):
    api_client.force_authenticate(outsider)
    assert api_client.get(url(world.program, path)).status_code == 404


@pytest.mark.parametrize("path", UNSCOPED)
def test_an_anonymous_caller_is_refused(api_client, world, path):
    assert api_client.get(url(world.program, path)).status_code in (401, 403)


@pytest.mark.parametrize("path", UNSCOPED)
def test_a_program_that_does_not_exist_gets_404(api_client, world, path):
    api_client.force_authenticate(world.coach)
    response = api_client.get(f"/api/v1/programs/no-such-program/{path}")
    assert response.status_code == 404


@pytest.mark.parametrize("path", UNSCOPED)
def test_an_admin_without_an_authenticator_gets_403(api_client, world, path):
    with program_scope(world.program):
        admin = MembershipFactory(program=world.program, role=ProgramRole.ADMIN).user
    api_client.force_authenticate(admin)
    response = api_client.get(url(world.program, path))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "mfa_required"


def test_a_view_outside_any_program_asks_only_for_a_signed_in_caller(api_client, world):
    assert api_client.get("/api/v1/plain-outside/").status_code in (401, 403)
    api_client.force_authenticate(world.coach)
    assert api_client.get("/api/v1/plain-outside/").status_code == 200


def test_the_schema_and_docs_answer_as_before(client, db):
    assert client.get("/api/v1/schema/").status_code == 200
    assert client.get("/api/v1/docs/").status_code == 200


# The sealed bases, along the whole class hierarchy -------------------------------------------


@pytest.mark.parametrize("name", SEALED)
def test_a_mixin_before_the_base_cannot_override_sealed_machinery(name):
    mixin = type("EvilMixin", (), {name: lambda self, *args, **kwargs: None})
    with pytest.raises(TypeError, match=name):
        type("LeakyViewSet", (mixin, ProgramScopedViewSet), {})


def test_a_mixin_overriding_get_object_is_refused_at_class_creation():
    class EvilMixin:
        def get_object(self):
            return Practice.all_programs.get(pk=self.kwargs["pk"])

    with pytest.raises(TypeError, match="get_object"):

        class LeakyViewSet(EvilMixin, ProgramScopedViewSet):
            pass


def test_a_mixin_cannot_drop_the_member_permission():
    class OpenMixin:
        permission_classes = [permissions.AllowAny]

    with pytest.raises(TypeError, match="ProgramMemberPermission"):

        class OpenViewSet(OpenMixin, ProgramScopedViewSet):
            pass


@pytest.mark.parametrize("name", ("initial", "get_permissions", "capabilities_for_action"))
def test_the_report_base_is_sealed_too(name):
    mixin = type("EvilMixin", (), {name: lambda self, *args, **kwargs: ()})
    with pytest.raises(TypeError, match=name):
        type("LeakyReport", (mixin, ProgramReportViewSet), {})
    with pytest.raises(TypeError, match=name):
        type("LeakyReport", (ProgramReportViewSet,), {name: mixin.__dict__[name]})


@pytest.mark.parametrize("name", SUMMARY_SEALED)
def test_the_summary_base_is_sealed_too(name):
    mixin = type("EvilMixin", (), {name: lambda self, *args, **kwargs: ()})
    with pytest.raises(TypeError, match=name):
        type("LeakySummary", (mixin, ProgramSummaryViewSet), {})
    with pytest.raises(TypeError, match=name):
        type("LeakySummary", (ProgramSummaryViewSet,), {name: mixin.__dict__[name]})


def test_a_summary_that_only_reads_is_accepted():
    # The refusals above are about the sealed names, not about subclassing at all.
    summary = type(
        "CoachSummary",
        (ProgramSummaryViewSet,),
        {"read": lambda self, request: None, "read_one": lambda self, request, pk: None},
    )
    assert summary.http_method_names == ["get", "head", "options"]


# access_for honours its program ----------------------------------------------------------------


def test_access_for_another_program_than_the_scope_reads_that_program(world, other_world):
    with program_scope(world.program):
        # A member of the scope's program only: no access to the other program.
        assert access_for(program=other_world.program, user=world.coach) is None
        # A member of the other program only: that program's role.
        access = access_for(program=other_world.program, user=other_world.manager)
        assert access is not None
        assert access.membership.program_id == other_world.program.pk
        assert access.is_manager


def test_access_for_a_member_of_both_gives_the_named_programs_role(world, other_world):
    with program_scope(other_world.program):
        MembershipFactory(program=other_world.program, user=world.coach, role=ProgramRole.MANAGER)
    with program_scope(world.program):
        access = access_for(program=other_world.program, user=world.coach)
    assert access.membership.program_id == other_world.program.pk
    assert access.is_manager
    with program_scope(other_world.program):
        access = access_for(program=world.program, user=world.coach)
    assert access.membership.program_id == world.program.pk
    assert access.is_coach


def test_practice_roles_are_read_in_the_access_program(world, other_world):
    with program_scope(other_world.program):
        PracticeMembershipFactory(
            program=other_world.program, practice=other_world.practice, user=world.lead
        )
    with program_scope(world.program):
        access = access_for(program=world.program, user=world.lead)
    with program_scope(other_world.program):
        assert access.practice_roles == {}
    with program_scope(world.program):
        access = access_for(program=world.program, user=world.lead)
        assert access.practice_roles == {world.practice.pk: "lead"}
