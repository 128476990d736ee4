"""The instrument pages: an admin builds, publishes and versions an instrument, loads a pack
and keeps the change library; everyone else in the program can look but not change (403); an
outsider or another program's member gets 404."""

import pytest
from django.urls import reverse

from assessments.instruments import builder, change_ideas, services
from assessments.models import (
    ChangeIdea,
    Domain,
    Instrument,
    InstrumentVersion,
    Option,
    Question,
    VersionStatus,
)
from psp.tenancy.scope import program_scope
from tests.assessments.helpers import build_draft, structure

ROLES = ["admin", "manager", "coach", "lead", "staff"]
NOT_ADMINS = ["manager", "coach", "lead", "staff"]


def page(name, world, **kwargs):
    return reverse(f"instruments:{name}", kwargs={"program": world.program.slug, **kwargs})


def question_data(domain, **changes):
    data = {
        "domain": domain.pk,
        "text": "Everyone knows who does what",
        "help_text": "",
        "kind": "scale",
        "key": "",
        "required": "on",
        "scored": "on",
        "weight": "1",
        "scale_min": "1",
        "scale_max": "5",
        "scale_labels": "1: Not in place\n3: Partly\n5: Fully in place",
        "yes_is_positive": "on",
        "number_min": "",
        "number_max": "",
        "unit": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def published(world):
    with program_scope(world.program):
        instrument, version = build_draft(world.program, world.admin)
        services.version_publish(program=world.program, version=version, by=world.admin)
        version.refresh_from_db()
    return instrument, version


@pytest.fixture
def draft(world):
    with program_scope(world.program):
        return build_draft(world.program, world.admin)


def scoped(world, fn):
    with program_scope(world.program):
        return fn()


# The admin's path ----------------------------------------------------------------------------


def test_an_admin_builds_an_instrument_from_scratch_and_publishes_it(client, world):
    client.force_login(world.admin)

    response = client.post(
        page("create", world),
        {
            "name": "Front desk readiness",
            "key": "",
            "sector": "primary_care",
            "description": "",
            "cadence_months": "6",
            "weak_threshold": "55",
        },
    )
    instrument = scoped(world, lambda: Instrument.objects.get(name="Front desk readiness"))
    version = scoped(world, lambda: instrument.versions.get())
    assert response.status_code == 302
    assert response.url == page("version", world, pk=version.pk)

    client.post(
        page("domain_create", world, instrumentversion_pk=version.pk),
        {"name": "Team roles", "description": "Who does what"},
    )
    domain = scoped(world, lambda: Domain.objects.get(version=version))
    client.post(page("question_create", world, domain_pk=domain.pk), question_data(domain))
    response = client.post(
        page("question_create", world, domain_pk=domain.pk),
        question_data(domain, text="How are reminders sent?", kind="single"),
    )
    choice = scoped(world, lambda: Question.objects.get(version=version, kind="single"))
    assert response.url == page("question_edit", world, pk=choice.pk) + "#options"
    for label, score in (("Not at all", "0"), ("By text", "2")):
        client.post(
            page("option_create", world, question_pk=choice.pk),
            {"label": label, "score": score, "value": ""},
        )

    builder = client.get(page("version", world, pk=version.pk))
    assert builder.status_code == 200
    assert "Ready to publish" in builder.content.decode()

    response = client.post(page("publish", world, pk=version.pk), {"change_note": "First"})

    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    scale = scoped(world, lambda: Question.objects.get(version=version, kind="scale"))
    assert scale.scale_labels == {"1": "Not in place", "3": "Partly", "5": "Fully in place"}
    detail = client.get(page("detail", world, pk=instrument.pk)).content.decode()
    for text in ("Team roles", "Everyone knows who does what", "Not in place", "By text"):
        assert text in detail
    assert "Version 1" in detail


def test_an_admin_edits_a_published_instrument_through_a_new_version(client, world, published):
    instrument, version = published
    client.force_login(world.admin)
    before = scoped(world, lambda: structure(version))

    response = client.post(page("new_draft", world, pk=version.pk), {"change_note": "Reworded"})

    draft = scoped(world, lambda: InstrumentVersion.objects.get(instrument=instrument, number=2))
    assert response.url == page("version", world, pk=draft.pk)
    question = scoped(world, lambda: Question.objects.filter(version=draft, kind="scale").first())
    domain = scoped(world, lambda: question.domain)
    response = client.post(
        page("question_edit", world, pk=question.pk),
        question_data(domain, text="Roles are written down", key=question.key),
    )
    assert response.status_code == 302
    client.post(page("publish", world, pk=draft.pk), {"change_note": "Reworded"})

    version.refresh_from_db()
    draft.refresh_from_db()
    assert (version.status, draft.status) == (VersionStatus.RETIRED, VersionStatus.PUBLISHED)
    assert scoped(world, lambda: structure(version)) == before
    history = client.get(page("detail", world, pk=instrument.pk)).content.decode()
    assert "Retired" in history and "Reworded" in history


def test_the_builder_pages_of_a_published_version_change_nothing_and_point_to_a_new_version(
    client, world, published
):
    _, version = published
    client.force_login(world.admin)
    question = scoped(world, lambda: Question.objects.filter(version=version).first())
    before = scoped(world, lambda: structure(version))

    for url in (
        page("question_edit", world, pk=question.pk),
        page("domain_edit", world, pk=question.domain_id),
        page("question_create", world, domain_pk=question.domain_id),
        page("domain_create", world, instrumentversion_pk=version.pk),
        page("question_delete", world, pk=question.pk),
        page("discard", world, pk=version.pk),
    ):
        for method in (client.get, client.post):
            response = method(url, question_data(question.domain, text="Changed"))
            assert response.status_code == 302, url
            assert response.url == page("version", world, pk=version.pk)

    assert scoped(world, lambda: structure(version)) == before
    shown = client.get(page("version", world, pk=version.pk)).content.decode()
    assert "Start a new version to edit the instrument" in shown
    assert "Start a new version from this one" in shown


def test_bad_input_is_shown_beside_its_field_and_changes_nothing(client, world, draft):
    _, version = draft
    client.force_login(world.admin)
    question = scoped(world, lambda: Question.objects.filter(version=version, kind="scale")[0])
    before = scoped(world, lambda: structure(version))

    upside_down = client.post(
        page("question_edit", world, pk=question.pk),
        question_data(question.domain, scale_min="5", scale_max="2"),
    )
    bad_labels = client.post(
        page("question_edit", world, pk=question.pk),
        question_data(question.domain, scale_labels="one is low"),
    )
    scored_text = client.post(
        page("question_edit", world, pk=question.pk),
        question_data(question.domain, kind="text"),
    )

    assert upside_down.status_code == 200
    assert "scale_max" in upside_down.context["form"].errors
    assert "scale_labels" in bad_labels.context["form"].errors
    assert "scored" in scored_text.context["form"].errors
    assert 'aria-invalid="true"' in upside_down.content.decode()
    assert scoped(world, lambda: structure(version)) == before

    settings = client.post(
        page("settings", world, pk=version.instrument_id),
        {
            "name": "",
            "sector": "",
            "description": "",
            "cadence_months": "0",
            "weak_threshold": "150",
        },
    )
    errors = settings.context["form"].errors
    assert {"name", "cadence_months", "weak_threshold"} <= set(errors)
    assert scoped(world, lambda: Instrument.objects.get(pk=version.instrument_id).name) == (
        "Practice readiness"
    )


def test_the_publish_page_names_what_is_missing_and_publishing_an_incomplete_draft_fails(
    client, world, draft
):
    _, version = draft
    client.force_login(world.admin)
    scoped(
        world,
        lambda: builder.domain_create(
            program=world.program, version=version, by=world.admin, name="Empty corner"
        ),
    )

    shown = client.get(page("publish", world, pk=version.pk)).content.decode()
    response = client.post(page("publish", world, pk=version.pk), {"change_note": ""})

    assert "“Empty corner” has no questions" in shown
    assert response.status_code == 200
    assert "has no questions" in str(response.context["form"].non_field_errors())
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_an_admin_reorders_and_deletes_domains_questions_and_options(client, world, draft):
    _, version = draft
    client.force_login(world.admin)
    first, second = scoped(world, lambda: list(Domain.objects.filter(version=version)))
    choice = scoped(world, lambda: Question.objects.get(version=version, kind="single"))
    option = scoped(world, lambda: choice.options.order_by("position").first())

    client.post(page("domain_move", world, pk=second.pk), {"direction": "up"})
    client.post(page("option_move", world, pk=option.pk), {"direction": "down"})
    confirm = client.get(page("domain_delete", world, pk=first.pk))
    client.post(page("domain_delete", world, pk=first.pk))
    client.post(page("option_delete", world, pk=option.pk))

    assert "Delete this domain and every question in it" in confirm.content.decode()
    remaining = scoped(world, lambda: list(Domain.objects.filter(version=version)))
    assert remaining == [second]
    assert not scoped(world, lambda: Option.objects.filter(pk=option.pk).exists())


def test_an_admin_loads_a_pack_and_cannot_load_it_twice(client, world):
    client.force_login(world.admin)

    listing = client.get(page("packs", world)).content.decode()
    response = client.post(page("packs", world), {"pack": "primary-care-readiness"})

    assert "Primary care practice readiness" in listing and "Law practice management" in listing
    instrument = scoped(world, lambda: Instrument.objects.get(key="primary-care-readiness"))
    assert response.url == page("detail", world, pk=instrument.pk)
    again = client.post(page("packs", world), {"pack": "primary-care-readiness"})
    assert again.status_code == 200
    assert "already loaded" in again.content.decode()
    assert scoped(world, lambda: Instrument.objects.count()) == 1


def test_an_admin_keeps_the_change_library(client, world, published):
    instrument, version = published
    domain = scoped(world, lambda: Domain.objects.filter(version=version).first())
    client.force_login(world.admin)

    response = client.post(
        page("idea_create", world, instrument_pk=instrument.pk),
        {
            "domain_key": domain.key,
            "goal": "Start a daily huddle",
            "rationale": "Problems surface early.",
            "suggested_measure": "Huddles on 4 of 5 days",
            "suggested_actions": "Pick a time\n\nRotate who leads",
            "kpi_key": "huddles-per-week",
        },
    )
    idea = scoped(world, lambda: ChangeIdea.objects.get(goal="Start a daily huddle"))
    assert response.url == page("ideas", world, pk=instrument.pk) + f"#idea-{idea.pk}"
    assert idea.suggested_actions == ["Pick a time", "Rotate who leads"]

    bad = client.post(
        page("idea_edit", world, pk=idea.pk),
        {"domain_key": "nowhere", "goal": "", "suggested_actions": "", "kpi_key": ""},
    )
    assert {"domain_key", "goal"} <= set(bad.context["form"].errors)
    client.post(page("idea_active", world, pk=idea.pk), {"active": "0"})
    assert not scoped(world, lambda: ChangeIdea.objects.get(pk=idea.pk).is_active)

    library = client.get(page("ideas", world, pk=instrument.pk)).content.decode()
    assert "Start a daily huddle" in library and "Reactivate" in library
    client.force_login(world.coach)
    assert (
        "Start a daily huddle"
        not in client.get(page("ideas", world, pk=instrument.pk)).content.decode()
    )


# Who may do what ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_in_the_program_can_look_at_instruments_and_the_change_library(
    client, world, published, role
):
    instrument, version = published
    client.force_login(world.user(role))

    for url in (
        page("list", world),
        page("detail", world, pk=instrument.pk),
        page("version", world, pk=version.pk),
        page("ideas", world, pk=instrument.pk),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Practice readiness" in response.content.decode()


def _edit_pages(world, instrument, version):
    with program_scope(world.program):
        draft = services.version_new_draft_from(
            program=world.program, version=version, by=world.admin
        )
        domain = Domain.objects.filter(version=draft).first()
        question = Question.objects.get(version=draft, kind="single")
        option = question.options.first()
        idea = change_ideas.change_idea_create(
            program=world.program,
            instrument=instrument,
            by=world.admin,
            domain_key=domain.key,
            goal="Huddle",
        )
    return [
        page("create", world),
        page("packs", world),
        page("settings", world, pk=instrument.pk),
        page("new_draft", world, pk=version.pk),
        page("publish", world, pk=draft.pk),
        page("discard", world, pk=draft.pk),
        page("domain_create", world, instrumentversion_pk=draft.pk),
        page("domain_edit", world, pk=domain.pk),
        page("domain_delete", world, pk=domain.pk),
        page("domain_move", world, pk=domain.pk),
        page("question_create", world, domain_pk=domain.pk),
        page("question_edit", world, pk=question.pk),
        page("question_delete", world, pk=question.pk),
        page("question_move", world, pk=question.pk),
        page("option_create", world, question_pk=question.pk),
        page("option_edit", world, pk=option.pk),
        page("option_delete", world, pk=option.pk),
        page("option_move", world, pk=option.pk),
        page("idea_create", world, instrument_pk=instrument.pk),
        page("idea_edit", world, pk=idea.pk),
        page("idea_active", world, pk=idea.pk),
    ]


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_only_admins_may_change_instruments_others_get_403_and_nothing_changes(
    client, world, published, role
):
    instrument, version = published
    urls = _edit_pages(world, instrument, version)
    snapshot = scoped(
        world,
        lambda: (
            list(Instrument.objects.values()),
            list(InstrumentVersion.objects.values()),
            [structure(v) for v in InstrumentVersion.objects.all()],
            list(ChangeIdea.objects.values()),
        ),
    )
    client.force_login(world.user(role))

    for url in urls:
        assert client.get(url).status_code == 403, url
        body = {"name": "Hijacked", "pack": "law-practice-review", "direction": "up", "active": "0"}
        assert client.post(url, body).status_code == 403, url

    after = scoped(
        world,
        lambda: (
            list(Instrument.objects.values()),
            list(InstrumentVersion.objects.values()),
            [structure(v) for v in InstrumentVersion.objects.all()],
            list(ChangeIdea.objects.values()),
        ),
    )
    assert after == snapshot


def test_non_admins_see_no_edit_controls(client, world, published):
    instrument, version = published
    client.force_login(world.manager)

    listing = client.get(page("list", world)).content.decode()
    detail = client.get(page("detail", world, pk=instrument.pk)).content.decode()

    assert "Load a pack" not in listing
    assert "Settings" not in detail and "start a new version" not in detail


def test_an_outsider_gets_404_for_every_instrument_page(client, world, outsider, published):
    instrument, version = published
    client.force_login(outsider)

    for url in (
        page("list", world),
        page("detail", world, pk=instrument.pk),
        page("version", world, pk=version.pk),
        page("ideas", world, pk=instrument.pk),
        page("packs", world),
    ):
        assert client.get(url).status_code == 404, url


def test_another_programs_instrument_is_404_through_this_programs_pages(client, world, other_world):
    with program_scope(other_world.program):
        theirs, their_version = build_draft(other_world.program, other_world.admin)
    client.force_login(world.admin)

    for url in (
        page("detail", world, pk=theirs.pk),
        page("version", world, pk=their_version.pk),
        page("settings", world, pk=theirs.pk),
        page("domain_create", world, instrumentversion_pk=their_version.pk),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "Hijacked"}).status_code == 404, url
    assert scoped(other_world, lambda: Instrument.objects.get(pk=theirs.pk).name) != "Hijacked"


def test_the_program_navigation_leads_admins_to_the_instruments(client, world):
    client.force_login(world.admin)
    html = client.get(reverse("program_home", kwargs={"program": world.program.slug}))
    assert page("list", world) in html.content.decode()
