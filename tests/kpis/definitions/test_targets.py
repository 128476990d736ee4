"""A KPI's per-practice targets page: practices found by name, region or sector a page at a
time, each practice's own target set or cleared, a refused target explained in its row, a
line of history for each change, and a fixed query count."""

import pytest

from kpis.models import KpiPracticeTarget
from psp.history.models import ChangeRecord, SubjectType
from psp.tenancy.scope import program_scope
from tests.factories import KpiDefinitionFactory, PracticeFactory
from tests.kpis.definitions.helpers import count, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def kpi(world):
    with program_scope(world.program):
        return KpiDefinitionFactory(
            program=world.program, name="No-shows", unit="percent", target=8, max_value=100
        )


def _targets(world):
    with program_scope(world.program):
        return dict(KpiPracticeTarget.objects.values_list("practice_id", "target"))


def test_an_admin_sets_then_clears_a_practices_own_target(client, world, kpi):
    client.force_login(world.admin)
    path = url(world, "definition_targets", pk=kpi.pk)

    saved = client.post(path + "?search=Health", {"practice": world.practice.pk, "target": "4.5"})
    assert saved.status_code == 302 and saved["Location"].endswith("?search=Health")
    assert _targets(world) == {world.practice.pk: 4.5}
    page = client.get(saved["Location"]).content.decode()
    assert "own target is now 4.5" in page
    assert 'value="4.5"' in page

    client.post(path, {"practice": world.practice.pk, "target": "4.5", "clear": "1"})
    assert _targets(world) == {}
    with program_scope(world.program):
        lines = list(
            ChangeRecord.objects.filter(subject_type=SubjectType.KPI, subject_id=kpi.pk)
            .order_by("pk")
            .values_list("what", "practice_id")
        )
    assert lines == [
        ("kpi.target_set", world.practice.pk),
        ("kpi.target_cleared", world.practice.pk),
    ]


@pytest.mark.parametrize(
    ("typed", "message"),
    [("140", "A percent target must be from 0 to 100."), ("lots", "Enter a number.")],
)
def test_a_refused_target_is_explained_in_its_practices_row(client, world, kpi, typed, message):
    client.force_login(world.admin)

    page = client.post(
        url(world, "definition_targets", pk=kpi.pk),
        {"practice": world.practice.pk, "target": typed},
    )

    assert page.status_code == 200
    html = page.content.decode()
    assert message in html
    assert f'aria-describedby="target-{world.practice.pk}-error"' in html
    assert f'value="{typed}"' in html
    assert _targets(world) == {}


def test_another_programs_practice_cannot_be_given_a_target(client, world, other_world, kpi):
    client.force_login(world.admin)

    client.post(
        url(world, "definition_targets", pk=kpi.pk),
        {"practice": other_world.practice.pk, "target": "5"},
    )

    assert _targets(world) == {}


def test_practices_are_found_by_name_region_or_sector(client, world, kpi):
    with program_scope(world.program):
        PracticeFactory(program=world.program, name="Harbour Law", sector="law", region="Coast")
    client.force_login(world.admin)
    path = url(world, "definition_targets", pk=kpi.pk)

    def names(**query):
        return [p.name for p in client.get(path, query).context["practices"]]

    assert names(search="coast") == ["Harbour Law"]
    assert names(sector="law") == ["Harbour Law"]
    assert "Harbour Law" not in names(search="lakeside")


def test_the_targets_page_costs_the_same_for_2_and_40_practices(
    client, world, kpi, django_assert_num_queries
):
    client.force_login(world.admin)
    path = url(world, "definition_targets", pk=kpi.pk)
    expected = count(client, path)
    with program_scope(world.program):
        for i in range(38):
            practice = PracticeFactory(program=world.program, name=f"Practice {i:02d}")
            kpi.practice_targets.create(program=world.program, practice=practice, target=i)
    with django_assert_num_queries(expected):
        page = client.get(path)
    assert page.context["paginator"].count == 40
    assert len(page.context["practices"]) == 25


def test_the_list_narrows_to_practices_with_their_own_target(client, world, kpi):
    with program_scope(world.program):
        kpi.practice_targets.create(program=world.program, practice=world.other_practice, target=2)
    client.force_login(world.admin)

    page = client.get(url(world, "definition_targets", pk=kpi.pk), {"own_target": "true"})

    assert [p.name for p in page.context["practices"]] == [world.other_practice.name]
    assert page.context["practices"][0].own_target == 2


def test_a_coach_cannot_open_the_targets_page(client, world, kpi):
    client.force_login(world.coach)

    assert client.get(url(world, "definition_targets", pk=kpi.pk)).status_code == 403
