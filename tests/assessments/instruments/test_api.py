"""The instruments API: everyone in the program reads instruments, versions (with their whole
structure), packs' counts and the change library; only admins write; errors come in the one
error format; another program's objects are never found or attached."""

import pytest

from assessments.instruments import change_ideas, services
from assessments.models import ChangeIdea, Domain, Instrument, InstrumentVersion, VersionStatus
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import build_draft

ROLES = ["admin", "manager", "coach", "lead", "staff"]
NOT_ADMINS = ["manager", "coach", "lead", "staff"]


def api(world, path: str) -> str:
    return f"/api/v1/programs/{world.program.slug}/{path}"


def scoped(world, fn):
    with program_scope(world.program):
        return fn()


@pytest.fixture
def published(world):
    with program_scope(world.program):
        instrument, version = build_draft(world.program, world.admin)
        services.version_publish(program=world.program, version=version, by=world.admin)
        version.refresh_from_db()
    return instrument, version


def assert_error(response, status, *fields):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status
    assert {"code", "message"} <= set(error)
    if fields:
        assert set(fields) <= set(error["fields"]), error["fields"]
    return error


# Reading --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_in_the_program_reads_instruments_versions_and_ideas(
    api_client, world, published, role
):
    instrument, version = published
    api_client.force_login(world.user(role))

    listing = api_client.get(api(world, "instruments/"))
    one = api_client.get(api(world, f"instruments/{instrument.pk}/"))
    versions = api_client.get(api(world, f"instrument-versions/?instrument={instrument.pk}"))
    ideas = api_client.get(api(world, "change-ideas/"))

    assert listing.status_code == one.status_code == versions.status_code == 200
    assert ideas.status_code == 200
    row = listing.json()["results"][0]
    assert (row["name"], row["published_version"], row["draft_version"]) == (
        "Practice readiness",
        version.pk,
        None,
    )
    assert [v["number"] for v in one.json()["versions"]] == [1]
    assert versions.json()["results"][0]["question_count"] == 5


def test_a_version_comes_with_its_domains_questions_options_and_scale_labels(
    api_client, world, published
):
    _, version = published
    api_client.force_login(world.staff)

    data = api_client.get(api(world, f"instrument-versions/{version.pk}/")).json()

    assert data["status"] == "published"
    assert [d["name"] for d in data["domains"]] == ["Domain 1", "Domain 2"]
    first = data["domains"][0]["questions"]
    assert first[0]["kind"] == "scale"
    assert first[0]["scale_labels"] == {"1": "Not at all", "5": "Fully"}
    assert first[0]["weight"] == "2.00"
    choice = next(q for q in first if q["kind"] == "single")
    assert [(o["label"], o["score"]) for o in choice["options"]] == [
        ("Not", "0.00"),
        ("Text", "2.00"),
    ]


def test_an_outsider_and_another_programs_token_get_404(api_client, world, outsider, published):
    instrument, _ = published
    api_client.force_login(outsider)
    assert_error(api_client.get(api(world, "instruments/")), 404)
    assert_error(api_client.get(api(world, f"instruments/{instrument.pk}/")), 404)


def test_another_programs_instrument_is_not_found_here(api_client, world, other_world):
    with program_scope(other_world.program):
        theirs, their_version = build_draft(other_world.program, other_world.admin)
    api_client.force_login(world.admin)

    assert_error(api_client.get(api(world, f"instruments/{theirs.pk}/")), 404)
    assert_error(api_client.get(api(world, f"instrument-versions/{their_version.pk}/")), 404)
    assert_error(api_client.post(api(world, f"instruments/{theirs.pk}/publish/")), 404)
    their_version.refresh_from_db()
    assert their_version.status == VersionStatus.DRAFT


# Writing --------------------------------------------------------------------------------------


def test_an_admin_creates_and_renames_an_instrument_and_its_key_stays(api_client, world):
    api_client.force_login(world.admin)

    created = api_client.post(
        api(world, "instruments/"),
        {"name": "Front desk readiness", "cadence_months": 3, "program": 999},
        format="json",
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["key"], body["cadence_months"], body["published_version"]) == (
        "front-desk-readiness",
        3,
        None,
    )
    assert body["draft_version"] is not None
    instrument = Instrument.all_programs.get(pk=body["id"])
    assert instrument.program_id == world.program.pk

    renamed = api_client.patch(
        api(world, f"instruments/{body['id']}/"), {"name": "Reception readiness"}, format="json"
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "Reception readiness"
    assert_error(
        api_client.patch(api(world, f"instruments/{body['id']}/"), {"key": "other"}, format="json"),
        400,
        "key",
    )


def test_bad_settings_come_back_in_the_one_error_format_and_change_nothing(
    api_client, world, published
):
    instrument, _ = published
    api_client.force_login(world.admin)

    response = api_client.patch(
        api(world, f"instruments/{instrument.pk}/"),
        {"weak_threshold": 0, "cadence_months": 99},
        format="json",
    )

    error = assert_error(response, 400, "weak_threshold", "cadence_months")
    assert error["code"] == "invalid"
    fresh = scoped(world, lambda: Instrument.objects.get(pk=instrument.pk))
    assert (fresh.weak_threshold, fresh.cadence_months) == (60, 6)


def test_an_admin_starts_a_new_draft_and_publishes_it(api_client, world, published):
    instrument, version = published
    api_client.force_login(world.admin)

    nothing = api_client.post(api(world, f"instruments/{instrument.pk}/publish/"))
    assert_error(nothing, 400, "non_field_errors")
    draft = api_client.post(
        api(world, f"instruments/{instrument.pk}/new-draft/"),
        {"change_note": "Sharper wording"},
        format="json",
    )
    again = api_client.post(api(world, f"instruments/{instrument.pk}/new-draft/"))
    published_now = api_client.post(api(world, f"instruments/{instrument.pk}/publish/"))

    assert draft.status_code == 201, draft.content
    assert (draft.json()["number"], draft.json()["status"]) == (2, "draft")
    assert len(draft.json()["domains"]) == 2
    assert_error(again, 400)
    assert published_now.status_code == 200
    assert published_now.json()["status"] == "published"
    version.refresh_from_db()
    assert version.status == VersionStatus.RETIRED


def test_publishing_an_incomplete_draft_names_every_problem(api_client, world):
    with program_scope(world.program):
        instrument = services.instrument_create(program=world.program, by=world.admin, name="Empty")
    api_client.force_login(world.admin)

    response = api_client.post(api(world, f"instruments/{instrument.pk}/publish/"))

    error = assert_error(response, 400, "non_field_errors")
    assert "Add at least one domain" in error["fields"]["non_field_errors"][0]
    assert scoped(world, lambda: instrument.versions.get().status) == VersionStatus.DRAFT


def test_an_admin_lists_packs_and_loads_one_once(api_client, world):
    api_client.force_login(world.admin)

    packs = api_client.get(api(world, "instruments/packs/")).json()
    loaded = api_client.post(
        api(world, "instruments/load-pack/"), {"pack": "law-practice-review"}, format="json"
    )
    twice = api_client.post(
        api(world, "instruments/load-pack/"), {"pack": "law-practice-review"}, format="json"
    )
    unknown = api_client.post(
        api(world, "instruments/load-pack/"), {"pack": "no-such-pack"}, format="json"
    )

    assert len(packs) == 4 and not any(p["loaded"] for p in packs)
    law = next(p for p in packs if p["key"] == "law-practice-review")
    assert 20 <= law["question_count"] <= 40 and 5 <= law["domain_count"] <= 8
    assert loaded.status_code == 201
    assert loaded.json()["published_version"] is not None
    assert loaded.json()["active_change_ideas"] == law["change_idea_count"]
    assert "already loaded" in assert_error(twice, 400, "pack")["fields"]["pack"][0]
    assert_error(unknown, 400, "pack")
    after = api_client.get(api(world, "instruments/packs/")).json()
    assert [p["key"] for p in after if p["loaded"]] == ["law-practice-review"]


def test_an_admin_keeps_the_change_library_through_the_api(api_client, world, published):
    instrument, version = published
    domain = scoped(world, lambda: Domain.objects.filter(version=version).first())
    api_client.force_login(world.admin)

    created = api_client.post(
        api(world, "change-ideas/"),
        {
            "instrument": instrument.pk,
            "domain_key": domain.key,
            "goal": "Start a daily huddle",
            "suggested_actions": ["Pick a time", "Rotate who leads"],
            "kpi_key": "huddles-per-week",
        },
        format="json",
    )
    idea_id = created.json()["id"]
    updated = api_client.patch(
        api(world, f"change-ideas/{idea_id}/"), {"is_active": False}, format="json"
    )
    bad = api_client.patch(
        api(world, f"change-ideas/{idea_id}/"), {"domain_key": "nowhere"}, format="json"
    )
    filtered = api_client.get(
        api(world, f"change-ideas/?instrument={instrument.pk}&is_active=false")
    )
    deleted = api_client.delete(api(world, f"change-ideas/{idea_id}/"))

    assert created.status_code == 201, created.content
    assert created.json()["position"] == 0
    assert updated.json()["is_active"] is False
    assert_error(bad, 400, "domain_key")
    assert [row["id"] for row in filtered.json()["results"]] == [idea_id]
    assert deleted.status_code == 204
    assert not scoped(world, lambda: ChangeIdea.objects.exists())


def test_a_change_idea_cannot_point_at_another_programs_instrument(
    api_client, world, other_world, published
):
    with program_scope(other_world.program):
        theirs, _ = build_draft(other_world.program, other_world.admin)
    api_client.force_login(world.admin)

    response = api_client.post(
        api(world, "change-ideas/"),
        {"instrument": theirs.pk, "domain_key": "domain-1", "goal": "Sneak in"},
        format="json",
    )

    error = assert_error(response, 400, "instrument")
    assert f"No instrument with id {theirs.pk} in this program" in error["fields"]["instrument"][0]
    assert not ChangeIdea.all_programs.exists()


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_only_admins_write_instruments_packs_and_ideas_others_get_403(
    api_client, world, published, role
):
    instrument, version = published
    domain = scoped(world, lambda: Domain.objects.filter(version=version).first())
    with program_scope(world.program):
        idea = change_ideas.change_idea_create(
            program=world.program,
            instrument=instrument,
            by=world.admin,
            domain_key=domain.key,
            goal="Huddle",
        )
    api_client.force_login(world.user(role))
    before = scoped(
        world,
        lambda: (
            list(Instrument.objects.values()),
            list(InstrumentVersion.objects.values()),
            list(ChangeIdea.objects.values()),
        ),
    )

    requests = [
        ("post", "instruments/", {"name": "Mine"}),
        ("patch", f"instruments/{instrument.pk}/", {"name": "Mine"}),
        ("post", f"instruments/{instrument.pk}/new-draft/", {}),
        ("post", f"instruments/{instrument.pk}/publish/", {}),
        ("get", "instruments/packs/", None),
        ("post", "instruments/load-pack/", {"pack": "law-practice-review"}),
        ("post", "change-ideas/", {"instrument": instrument.pk, "domain_key": domain.key}),
        ("patch", f"change-ideas/{idea.pk}/", {"goal": "Mine"}),
        ("delete", f"change-ideas/{idea.pk}/", None),
    ]
    for method, path, body in requests:
        response = getattr(api_client, method)(api(world, path), body, format="json")
        assert_error(response, 403)

    after = scoped(
        world,
        lambda: (
            list(Instrument.objects.values()),
            list(InstrumentVersion.objects.values()),
            list(ChangeIdea.objects.values()),
        ),
    )
    assert after == before
