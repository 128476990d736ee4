"""The assessments API: opening rounds, answering (one or many, atomic), submitting, consensus,
scoring, comparisons and domain scores, under the program scope and the permission matrix."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Answer, Assessment, ConsensusAnswer
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import (
    ANSWERS,
    answer,
    build_instrument,
    open_round,
    questions_by_key,
    submit_round,
)


def api(world, path: str) -> str:
    return f"/api/v1/programs/{world.program.slug}/{path}"


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def assert_error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status and error["message"]
    return error


@pytest.fixture
def version(world):
    return build_instrument(world.program)


@pytest.fixture
def round_(world, version):
    return open_round(world, version)


@pytest.fixture
def questions(version):
    return questions_by_key(version)


def saved(world) -> dict:
    with program_scope(world.program):
        return {
            (a.response.respondent.email, a.question.key): a.value
            for a in Answer.objects.select_related("response__respondent", "question")
        }


# Rounds ---------------------------------------------------------------------------------------


def test_a_lead_opens_a_round_through_the_api(api_client, world, version):
    response = as_user(api_client, world.lead).post(
        api(world, "assessments/"), {"practice": world.practice.pk, "version": version.pk}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "baseline" and body["status"] == "open"
    assert body["instrument"]["key"] == "readiness"
    assert body["domain_scores"] == []


def test_opening_a_round_for_a_practice_out_of_reach_is_a_field_error(api_client, world, version):
    response = as_user(api_client, world.lead).post(
        api(world, "assessments/"), {"practice": world.other_practice.pk, "version": version.pk}
    )
    error = assert_error(response, 400)
    assert "practice" in error["fields"]
    with program_scope(world.program):
        assert not Assessment.objects.exists()


def test_a_draft_version_cannot_be_used(api_client, world):
    draft = build_instrument(world.program, status="draft")
    response = as_user(api_client, world.admin).post(
        api(world, "assessments/"), {"practice": world.practice.pk, "version": draft.pk}
    )
    assert "version" in assert_error(response, 400)["fields"]


def test_the_list_filters_by_practice_status_and_kind(api_client, world, version, round_):
    open_round(world, version, practice=world.other_practice)
    client = as_user(api_client, world.manager)
    assert len(client.get(api(world, "assessments/")).json()["results"]) == 2
    body = client.get(api(world, "assessments/"), {"practice": world.practice.pk}).json()
    assert [row["id"] for row in body["results"]] == [round_.pk]
    assert (
        len(client.get(api(world, "assessments/"), {"status": "submitted"}).json()["results"]) == 0
    )
    assert len(client.get(api(world, "assessments/"), {"kind": "baseline"}).json()["results"]) == 2


def test_staff_list_only_their_own_practices_rounds(api_client, world, version, round_):
    other = open_round(world, version, practice=world.other_practice)
    body = as_user(api_client, world.staff).get(api(world, "assessments/")).json()
    assert [row["id"] for row in body["results"]] == [round_.pk]
    response = api_client.get(api(world, f"assessments/{other.pk}/"))
    assert_error(response, 404)


# Answers --------------------------------------------------------------------------------------


def test_staff_save_many_answers_in_one_request(api_client, world, round_, questions):
    body = {
        "answers": [
            {"question": questions["roles-clear"].pk, "value": 4},
            {"question": questions["ehr-use"].pk, "value": ["portal", "recalls"]},
            {"question": questions["paper-charts"].pk, "is_na": True},
        ]
    }
    response = as_user(api_client, world.staff).post(
        api(world, f"assessments/{round_.pk}/answers/"), body
    )
    assert response.status_code == 200, response.content
    mine = {row["question_key"]: (row["value"], row["is_na"]) for row in response.json()["answers"]}
    assert mine == {
        "roles-clear": (4, False),
        "ehr-use": (["recalls", "portal"], False),
        "paper-charts": (None, True),
    }
    again = api_client.get(api(world, f"assessments/{round_.pk}/answers/")).json()
    assert len(again["answers"]) == 3 and again["submitted_at"] is None


def test_one_bad_answer_saves_none_of_the_request_and_is_reported_by_position(
    api_client, world, round_, questions
):
    body = {
        "answers": [
            {"question": questions["roles-clear"].pk, "value": 4},
            {"question": questions["lead-time"].pk, "value": "plenty"},
            {"question": questions["ehr-years"].pk, "value": 99},
        ]
    }
    response = as_user(api_client, world.staff).post(
        api(world, f"assessments/{round_.pk}/answers/"), body
    )
    fields = assert_error(response, 400)["fields"]
    assert fields["answers"][0] == {}
    assert fields["answers"][1] == {"value": ["“plenty” is not one of this question’s options."]}
    assert fields["answers"][2] == {"value": ["Enter a number from 0 to 40 years."]}
    assert saved(world) == {}


def test_a_question_of_another_round_is_a_field_error(api_client, world, round_):
    other = questions_by_key(build_instrument(world.program, key="other", name="Other"))
    body = {"answers": [{"question": other["huddles"].pk, "value": True}]}
    response = as_user(api_client, world.staff).post(
        api(world, f"assessments/{round_.pk}/answers/"), body
    )
    assert "question" in assert_error(response, 400)["fields"]["answers"][0]
    assert saved(world) == {}


def test_submitting_my_answers_names_the_required_ones_missing(api_client, world, round_):
    answer(world, round_, world.staff, {"roles-clear": 3})
    response = as_user(api_client, world.staff).post(
        api(world, f"assessments/{round_.pk}/submit-response/")
    )
    fields = assert_error(response, 400)["fields"]
    assert "huddles: The team meets every week." in fields["unanswered"]

    answer(world, round_, world.staff, ANSWERS)
    response = api_client.post(api(world, f"assessments/{round_.pk}/submit-response/"))
    assert response.status_code == 200 and response.json()["submitted_at"]


# Consensus and submission ---------------------------------------------------------------------


def test_a_coach_reads_the_grid_records_a_consensus_and_submits(
    api_client, world, round_, questions
):
    answer(world, round_, world.staff, ANSWERS, submit=True)
    answer(world, round_, world.lead, {**ANSWERS, "roles-clear": 2}, submit=True)
    client = as_user(api_client, world.coach)

    grid = client.get(api(world, f"assessments/{round_.pk}/consensus/")).json()
    assert grid["can_submit"] is False
    assert [r["name"] for r in grid["respondents"]] == [str(world.staff), str(world.lead)]
    rows = {row["question_key"]: row for row in grid["questions"]}
    assert rows["roles-clear"]["disagreement"] and rows["roles-clear"]["blocks"] == "disagreement"
    assert [a["value"] for a in rows["roles-clear"]["answers"]] == [4, 2]

    blocked = client.post(api(world, f"assessments/{round_.pk}/submit/"))
    assert "disagreements" in assert_error(blocked, 400)["fields"]

    recorded = client.post(
        api(world, f"assessments/{round_.pk}/consensus/"),
        {"question": questions["roles-clear"].pk, "value": 4, "note": "Agreed."},
    )
    assert recorded.status_code == 200 and recorded.json()["can_submit"] is True

    response = client.post(api(world, f"assessments/{round_.pk}/submit/"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["overall_score"] == "80.0"
    assert [(d["domain_key"], d["percent"]) for d in body["domain_scores"]] == [
        ("team", "75.0"),
        ("tech", "87.5"),
    ]
    retrieved = client.get(api(world, f"assessments/{round_.pk}/")).json()
    assert retrieved["domain_scores"] == body["domain_scores"]


def test_an_invalid_consensus_is_a_field_error(api_client, world, round_, questions):
    response = as_user(api_client, world.lead).post(
        api(world, f"assessments/{round_.pk}/consensus/"),
        {"question": questions["huddles"].pk, "value": "sometimes"},
    )
    assert assert_error(response, 400)["fields"] == {"value": ["Answer yes or no."]}
    with program_scope(world.program):
        assert not ConsensusAnswer.objects.exists()


def test_the_comparison_and_domain_scores_read_back(api_client, world, version):
    low = {**ANSWERS, "roles-clear": 1, "huddles": False, "lead-time": "none"}
    first = open_round(world, version)
    answer(world, first, world.staff, low, submit=True)
    submit_round(world, first)
    with program_scope(world.program):
        Assessment.objects.filter(pk=first.pk).update(
            submitted_at=timezone.now() - timedelta(days=180)
        )
    second = open_round(world, version)
    answer(world, second, world.staff, ANSWERS, submit=True)
    submit_round(world, second)

    client = as_user(api_client, world.manager)
    body = client.get(api(world, f"assessments/{second.pk}/comparison/")).json()
    assert body["baseline"]["id"] == first.pk and body["previous"]["id"] == first.pk
    team = {row["domain_key"]: row for row in body["domains"]}["team"]
    assert (team["percent"], team["baseline"], team["change_from_baseline"]) == (
        "75.0",
        "0.0",
        "75.0",
    )
    scores = client.get(api(world, "domain-scores/"), {"assessment": second.pk}).json()
    assert [row["domain_key"] for row in scores["results"]] == ["team", "tech"]


# Who may do what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 200), ("lead", 200), ("coach", 200), ("manager", 403), ("admin", 403)],
)
def test_answering_is_for_the_practices_people_and_its_coach(
    api_client, world, round_, questions, who, status
):
    body = {"answers": [{"question": questions["huddles"].pk, "value": True}]}
    response = as_user(api_client, world.user(who)).post(
        api(world, f"assessments/{round_.pk}/answers/"), body
    )
    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    ("who", "status"),
    [("coach", 400), ("lead", 400), ("staff", 403), ("manager", 403), ("other_coach", 404)],
)
def test_facilitating_is_for_the_assigned_coach_and_the_lead(
    api_client, world, round_, who, status
):
    # 400: allowed, but nobody has answered yet, so the round cannot be scored.
    response = as_user(api_client, world.user(who)).post(
        api(world, f"assessments/{round_.pk}/submit/")
    )
    assert response.status_code == status, response.content


def test_staff_cannot_answer_another_practices_round(api_client, world, version, questions):
    other = open_round(world, version, practice=world.other_practice)
    body = {"answers": [{"question": questions["huddles"].pk, "value": True}]}
    response = as_user(api_client, world.staff).post(
        api(world, f"assessments/{other.pk}/answers/"), body
    )
    assert_error(response, 404)
    assert saved(world) == {}


def test_another_programs_round_is_404(api_client, world, other_world, round_):
    response = as_user(api_client, other_world.admin).get(
        f"/api/v1/programs/{other_world.program.slug}/assessments/{round_.pk}/"
    )
    assert_error(response, 404)


# Schema ---------------------------------------------------------------------------------------


def test_the_assessment_endpoints_describe_themselves_without_schema_warnings(capsys):
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema
    from rest_framework.routers import SimpleRouter

    from assessments.rounds.api import routes
    from psp.api.urls import PROGRAM_PREFIX

    router = SimpleRouter()
    for prefix, viewset, basename in routes:
        router.register(PROGRAM_PREFIX + prefix, viewset, basename=basename)
    GENERATOR_STATS.reset()

    schema = SchemaGenerator(patterns=[path("api/v1/", include(router.urls))]).get_schema(
        request=None, public=True
    )

    validate_schema(schema)
    assert not GENERATOR_STATS, capsys.readouterr().err
    paths = schema["paths"]
    for suffix in ("answers/", "submit-response/", "consensus/", "submit/", "comparison/"):
        assert f"/api/v1/programs/{{program}}/assessments/{{id}}/{suffix}" in paths
    assert "program" not in schema["components"]["schemas"]["AssessmentRequest"]["properties"]
