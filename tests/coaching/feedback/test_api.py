"""The participant feedback API: the caller's own invitations (answered once, by their person
only; anyone else 404) and the results summary (FEEDBACK_RESULTS, coaches their own only, the
same anonymity threshold, no names of who answered)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coaching.models import FeedbackInvite, FeedbackResponse
from psp.tenancy.models import ProgramMembership, ProgramRole
from psp.tenancy.scope import program_scope
from tests.factories import FeedbackInviteFactory, FeedbackResponseFactory, VisitFactory


def api(world, path):
    return f"/api/v1/programs/{world.program.slug}/{path}"


def as_user(client, user):
    client.force_authenticate(user)
    return client


def visit_of(world, *, coach=None, practice=None, days_ago=4):
    return VisitFactory(
        program=world.program,
        practice=practice or world.practice,
        coach=coach or world.coach,
        visit_date=timezone.localdate() - timedelta(days=days_ago),
    )


def invite_for(world, person, **kwargs):
    return FeedbackInviteFactory(
        program=world.program, visit=kwargs.pop("visit", None) or visit_of(world), person=person
    )


def counts(world):
    with program_scope(world.program):
        return FeedbackResponse.objects.count()


# Invitations -----------------------------------------------------------------------------


def test_the_caller_lists_only_their_own_invitations(api_client, world):
    mine = invite_for(world, world.staff)
    invite_for(world, world.lead)

    response = as_user(api_client, world.staff).get(api(world, "feedback-invites/"))

    [row] = response.json()["results"]
    assert row["id"] == mine.pk
    assert row["status"] == "open"
    assert row["coach_name"] == world.coach.full_name
    assert row["url"].endswith(f"/p/{world.program.slug}/feedback/{mine.pk}/")


def test_an_invitation_is_answered_once_through_the_api(api_client, world):
    invite = invite_for(world, world.staff)
    client = as_user(api_client, world.staff)
    path = api(world, f"feedback-invites/{invite.pk}/respond/")

    first = client.post(path, {"usefulness": 5, "would_recommend": 10, "comment": "Great"})
    second = client.post(path, {"usefulness": 1, "would_recommend": 0})

    assert first.status_code == 201
    assert first.json()["status"] == "answered"
    assert second.status_code == 400
    assert counts(world) == 1


@pytest.mark.parametrize("who", ["lead", "coach", "admin"])
def test_anyone_elses_invitation_is_404(api_client, world, who):
    invite = invite_for(world, world.staff)
    client = as_user(api_client, world.user(who))

    assert client.get(api(world, f"feedback-invites/{invite.pk}/")).status_code == 404
    response = client.post(
        api(world, f"feedback-invites/{invite.pk}/respond/"),
        {"usefulness": 5, "would_recommend": 10},
    )
    assert response.status_code == 404
    assert counts(world) == 0


def test_an_answer_out_of_range_is_a_field_error(api_client, world):
    invite = invite_for(world, world.staff)

    response = as_user(api_client, world.staff).post(
        api(world, f"feedback-invites/{invite.pk}/respond/"),
        {"usefulness": 6, "would_recommend": -1},
    )

    assert response.status_code == 400
    body = response.json()
    assert "usefulness" in str(body) and "would_recommend" in str(body)
    assert counts(world) == 0


def test_an_invitation_is_declined(api_client, world):
    invite = invite_for(world, world.staff)
    client = as_user(api_client, world.staff)

    declined = client.post(api(world, f"feedback-invites/{invite.pk}/decline/"))
    answer = client.post(
        api(world, f"feedback-invites/{invite.pk}/respond/"),
        {"usefulness": 5, "would_recommend": 10},
    )

    assert declined.json()["status"] == "declined"
    assert answer.status_code == 400
    with program_scope(world.program):
        assert FeedbackInvite.objects.get(pk=invite.pk).declined_at is not None


def test_invitations_cannot_be_created_through_the_api(api_client, world):
    response = as_user(api_client, world.admin).post(
        api(world, "feedback-invites/"), {"visit": visit_of(world).pk, "person": world.lead.pk}
    )

    assert response.status_code == 405


# Summary ---------------------------------------------------------------------------------


def answered(world, *, coach, practice, scores, comment="", attendees=()):
    visit = visit_of(world, coach=coach, practice=practice)
    for person in attendees:
        FeedbackInviteFactory(
            program=world.program, visit=visit, person=person, answered_at=timezone.now()
        )
    for usefulness, recommend in scores:
        FeedbackResponseFactory(
            program=world.program,
            visit=visit,
            usefulness=usefulness,
            would_recommend=recommend,
            comment=comment,
        )
    return visit


@pytest.mark.parametrize(
    ("who", "expected"),
    [("admin", 200), ("manager", 200), ("coach", 200), ("lead", 403), ("staff", 403)],
)
def test_who_may_read_the_summary(api_client, world, who, expected):
    response = as_user(api_client, world.user(who)).get(api(world, "feedback-summary/"))

    assert response.status_code == expected


def test_the_summary_per_coach_and_program_with_the_threshold(api_client, world):
    answered(world, coach=world.coach, practice=world.practice, scores=[(5, 10), (4, 9), (3, 6)])
    answered(
        world,
        coach=world.other_coach,
        practice=world.other_practice,
        scores=[(1, 0), (2, 2)],
        comment="Hidden",
    )

    body = as_user(api_client, world.manager).get(api(world, "feedback-summary/")).json()

    assert body["threshold"] == 3
    coaches = {group["coach"]: group for group in body["coaches"]}
    current = coaches[world.coach.pk]["quarters"][0]
    assert (current["responses"], current["average_usefulness"], current["nps"]) == (
        3,
        "4.0",
        33,
    )
    other = coaches[world.other_coach.pk]["quarters"][0]
    assert other["hidden"] is True and other["responses"] is None and other["nps"] is None
    assert coaches[world.other_coach.pk]["comments"] == []
    # The program's line counts the groups shown only: 5 would give the hidden 2 away.
    assert body["program"]["quarters"][0]["responses"] == 3


def test_a_coach_reads_their_own_summary_without_names(api_client, world):
    answered(
        world,
        coach=world.coach,
        practice=world.practice,
        scores=[(4, 9)] * 3,
        comment="Useful checklist",
        attendees=[world.lead, world.staff],
    )
    answered(world, coach=world.other_coach, practice=world.other_practice, scores=[(5, 10)] * 3)
    client = as_user(api_client, world.coach)

    response = client.get(api(world, "feedback-summary/"))

    body = response.json()
    assert body["program"] is None
    assert [group["coach"] for group in body["coaches"]] == [world.coach.pk]
    assert body["coaches"][0]["comments"][0]["text"] == "Useful checklist"
    text = response.content.decode()
    for person in (world.lead, world.staff):
        assert person.full_name not in text and person.email not in text
    own = client.get(api(world, f"feedback-summary/{world.coach.pk}/"))
    assert own.status_code == 200 and own.json()["coach"] == world.coach.pk
    assert client.get(api(world, f"feedback-summary/{world.other_coach.pk}/")).status_code == 404


def test_a_manager_reads_one_coach(api_client, world):
    answered(world, coach=world.other_coach, practice=world.other_practice, scores=[(5, 10)] * 3)

    response = as_user(api_client, world.manager).get(
        api(world, f"feedback-summary/{world.other_coach.pk}/")
    )

    assert response.json()["total"]["nps"] == 100


@pytest.mark.parametrize("who", ["admin", "manager", "lead", "staff"])
def test_one_summary_of_someone_who_never_coached_is_not_found(api_client, world, who):
    answered(world, coach=world.coach, practice=world.practice, scores=[(5, 10)] * 3)

    response = as_user(api_client, world.manager).get(
        api(world, f"feedback-summary/{world.user(who).pk}/")
    )

    assert response.status_code == 404


def test_a_former_coach_with_feedback_is_still_read(api_client, world):
    answered(world, coach=world.other_coach, practice=world.other_practice, scores=[(5, 10)] * 3)
    with program_scope(world.program):
        ProgramMembership.objects.filter(user=world.other_coach).update(role=ProgramRole.MANAGER)

    response = as_user(api_client, world.admin).get(
        api(world, f"feedback-summary/{world.other_coach.pk}/")
    )

    assert response.status_code == 200
    assert response.json()["total"]["nps"] == 100


def test_a_coach_without_feedback_yet_reads_empty_figures(api_client, world):
    response = as_user(api_client, world.coach).get(
        api(world, f"feedback-summary/{world.coach.pk}/")
    )

    assert response.status_code == 200
    assert response.json()["coach"] == world.coach.pk
    assert response.json()["total"]["hidden"] is True


# Schema ----------------------------------------------------------------------------------


def test_the_feedback_and_action_endpoints_describe_themselves_without_warnings(capsys):
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema
    from rest_framework.routers import SimpleRouter

    from coaching.actions import api as actions_api
    from coaching.feedback import api as feedback_api
    from coaching.plans import api as plans_api
    from psp.api.urls import PROGRAM_PREFIX

    router = SimpleRouter()
    for prefix, viewset, basename in plans_api.routes + actions_api.routes + feedback_api.routes:
        router.register(PROGRAM_PREFIX + prefix, viewset, basename=basename)
    GENERATOR_STATS.reset()

    schema = SchemaGenerator(patterns=[path("api/v1/", include(router.urls))]).get_schema(
        request=None, public=True
    )

    validate_schema(schema)
    assert not GENERATOR_STATS, capsys.readouterr().err
    paths = schema["paths"]
    assert "/api/v1/programs/{program}/plan-actions/{id}/history/" in paths
    assert "/api/v1/programs/{program}/feedback-invites/{id}/respond/" in paths
    summary = paths["/api/v1/programs/{program}/feedback-summary/"]["get"]["responses"]["200"]
    assert summary["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Summary"
    }
