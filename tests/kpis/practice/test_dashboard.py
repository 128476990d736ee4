"""The practice's KPI dashboard: each KPI that applies to it against its target (its own, else
the program's) and against peers (only at or above the program's peer minimum), the run chart
marked with PDSA cycles and the plan's activation, missing periods flagged, how current it is,
who may see it, and a query count that does not grow with KPIs and periods."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import PdsaStage, PlanStatus
from kpis.practice.periods import periods_shown, recent_complete
from psp.tenancy.models import Sector
from psp.tenancy.scope import program_scope
from tests import factories as f
from tests.coaching.plans.test_queries import queries_for
from tests.shared_data import shared_fixture

TODAY = timezone.localdate()
MONTHS = periods_shown(TODAY, "monthly")


@shared_fixture
def kpi_world():
    """The persona world with two KPIs for its practice (one with the practice's own target,
    one with the program's), a law-sector KPI that does not apply, and a retired one."""
    from tests.conftest import build_world

    world = build_world("north-psp", "North PSP")
    program = world.program
    with program_scope(program):
        no_show = f.KpiDefinitionFactory(
            program=program,
            code="no-show-rate",
            name="Missed appointment rate",
            unit="percent",
            direction="lower",
            target=Decimal("8"),
            position=1,
        )
        panel = f.KpiDefinitionFactory(
            program=program,
            code="panel-size",
            name="Panel size",
            unit="count",
            direction="higher",
            target=Decimal("1500"),
            sector=Sector.PRIMARY_CARE,
            position=2,
        )
        f.KpiDefinitionFactory(program=program, code="client-satisfaction", sector=Sector.LAW)
        f.KpiDefinitionFactory(program=program, code="retired", is_active=False)
        f.KpiPracticeTargetFactory(
            program=program, definition=no_show, practice=world.practice, target=Decimal("10")
        )
    return world, no_show, panel


@pytest.fixture
def world(kpi_world):
    return kpi_world[0]


def page_url(world, practice=None):
    practice = practice or world.practice
    return reverse(
        "kpis:practice", kwargs={"program": world.program.slug, "practice_pk": practice.pk}
    )


def values(world, definition, series, **extra):
    """Monthly values ending with last month (the current month left empty)."""
    with program_scope(world.program):
        for period, value in zip(MONTHS[-len(series) - 1 : -1], series, strict=True):
            f.KpiValueFactory(
                program=world.program,
                definition=definition,
                practice=world.practice,
                period=period,
                value=Decimal(str(value)),
                **extra,
            )


def sections(client, world, who=None):
    client.force_login(who or world.lead)
    response = client.get(page_url(world))
    assert response.status_code == 200
    return {s.definition.code: s for s in response.context["sections"]}, response


def test_the_kpis_that_apply_to_the_practice_are_shown_in_order(client, kpi_world):
    world, _, _ = kpi_world
    shown, _ = sections(client, world)
    assert list(shown) == ["no-show-rate", "panel-size"]


def test_the_practices_own_target_comes_before_the_programs(client, kpi_world):
    world, no_show, panel = kpi_world
    values(world, no_show, [12, 9])
    values(world, panel, [1400, 1600])

    shown, response = sections(client, world)

    assert (shown["no-show-rate"].target, shown["no-show-rate"].target_is_own) == (10, True)
    assert shown["no-show-rate"].on_target is True  # 9% is under its own 10%
    assert (shown["panel-size"].target, shown["panel-size"].target_is_own) == (1500, False)
    assert shown["panel-size"].on_target is True
    page = response.content.decode()
    assert "the practice&#x27;s own target" in page or "the practice's own target" in page
    assert "On target" in page


def test_a_value_off_target_reads_so(client, kpi_world):
    world, no_show, _ = kpi_world
    values(world, no_show, [14])
    shown, response = sections(client, world)
    assert shown["no-show-rate"].latest_text == "14%"
    assert "Not on target" in response.content.decode()


def test_peers_are_compared_only_when_the_refresh_wrote_a_percentile(client, kpi_world):
    world, no_show, panel = kpi_world
    values(world, no_show, [9], peer_percentile=72, peer_count=40)
    values(world, panel, [1600], peer_count=3)

    shown, response = sections(client, world)

    assert shown["no-show-rate"].peers == "Better than 72% of 40 primary-care practices"
    assert shown["panel-size"].peers == ("Fewer than 5 practices report this KPI: no comparison.")
    assert "Better than 72% of 40 primary-care practices" in response.content.decode()


def test_the_peer_minimum_is_the_programs(client, kpi_world):
    world, no_show, _ = kpi_world
    world.program.peer_group_minimum = 12
    world.program.save()
    values(world, no_show, [9], peer_count=11)
    shown, _ = sections(client, world)
    assert shown["no-show-rate"].peers.startswith("Fewer than 12 practices")


def test_recent_periods_without_a_value_are_flagged(client, kpi_world):
    world, no_show, panel = kpi_world
    values(world, no_show, [10, 11, 12])
    with program_scope(world.program):
        f.KpiValueFactory(
            program=world.program,
            definition=panel,
            practice=world.practice,
            period=recent_complete(TODAY, "monthly")[0],
            value=1500,
        )
    shown, response = sections(client, world)
    assert shown["no-show-rate"].missing == []
    assert len(shown["panel-size"].missing) == 2
    assert "No value for" in response.content.decode()


def test_the_run_chart_marks_pdsa_cycles_and_the_plans_activation(client, kpi_world):
    world, no_show, _ = kpi_world
    values(world, no_show, [12, 12, 11, 10, 9, 9, 8, 8])
    started, ended = MONTHS[-6], MONTHS[-3]
    accepted = timezone.make_aware(
        timezone.datetime.combine(MONTHS[-8] + timedelta(days=3), timezone.datetime.min.time())
    )
    with program_scope(world.program):
        plan = f.SupportPlanFactory(
            program=world.program,
            practice=world.practice,
            title="Access plan",
            status=PlanStatus.ACTIVE,
            accepted_at=accepted,
        )
        goal = f.PlanGoalFactory(program=world.program, plan=plan, kpi_key="no-show-rate")
        f.PdsaCycleFactory(
            program=world.program,
            goal=goal,
            number=1,
            change_idea="Text reminders",
            stage=PdsaStage.ENDED,
            started_on=started + timedelta(days=4),
            ended_on=ended + timedelta(days=10),
            decision="adapt",
        )
        f.PdsaCycleFactory(
            program=world.program,
            goal=goal,
            number=2,
            kpi_key="panel-size",
            started_on=started,
        )

    shown, response = sections(client, world, who=world.coach)

    markers = [(m.label, m.kind) for m in shown["no-show-rate"].chart.markers]
    assert markers == [
        ("Plan activated: Access plan", "plan"),
        ("PDSA cycle 1 (Text reminders) started", "pdsa"),
        ("PDSA cycle 1 (Text reminders) ended: adapt", "pdsa"),
    ]
    panel_markers = [m.label for m in shown["panel-size"].chart.markers]
    assert panel_markers == [
        "Plan activated: Access plan",
        "PDSA cycle 2 (Text reminders two days before each appointment) started",
    ]
    assert "PDSA cycle 1 (Text reminders) ended: adapt" in response.content.decode()
    assert shown["no-show-rate"].chart.target == 10.0


def test_how_current_the_dashboard_is_comes_from_the_last_refresh(client, kpi_world):
    world, _, _ = kpi_world
    _, never = sections(client, world)
    assert "Not refreshed yet" in never.content.decode()
    with program_scope(world.program):
        f.KpiRefreshFactory(program=world.program, started_at=timezone.now())
    _, current = sections(client, world)
    assert "Up to date" in current.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("manager", 200), ("coach", 200), ("lead", 200), ("staff", 200)],
)
def test_the_practices_people_coaches_and_program_staff_see_it(client, kpi_world, role, status):
    world, _, _ = kpi_world
    client.force_login(world.user(role))
    assert client.get(page_url(world)).status_code == status


@pytest.mark.parametrize("role", ["coach", "lead", "staff"])
def test_another_practice_is_out_of_reach(client, kpi_world, role):
    world, _, _ = kpi_world
    client.force_login(world.user(role))
    assert client.get(page_url(world, world.other_practice)).status_code == 404


def test_practice_people_find_it_in_their_navigation_and_on_the_practice_page(client, kpi_world):
    world, _, _ = kpi_world
    client.force_login(world.staff)
    home = client.get(reverse("program_home", kwargs={"program": world.program.slug}))
    nav = home.content.decode().split('<nav id="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{page_url(world)}">KPIs</a>' in nav
    practice_page = client.get(world.practice.get_absolute_url()).content.decode()
    assert page_url(world) in practice_page


def test_the_page_costs_the_same_for_two_kpis_and_many(
    client, kpi_world, django_assert_num_queries
):
    world, no_show, panel = kpi_world
    values(world, no_show, [10])
    client.force_login(world.coach)
    expected = queries_for(client, page_url(world))

    with program_scope(world.program):
        for _ in range(6):
            definition = f.KpiDefinitionFactory(program=world.program, frequency="quarterly")
            f.KpiPracticeTargetFactory(
                program=world.program, definition=definition, practice=world.practice
            )
        plan = f.SupportPlanFactory(
            program=world.program, practice=world.practice, accepted_at=timezone.now()
        )
        goal = f.PlanGoalFactory(program=world.program, plan=plan)
        f.PdsaCycleFactory(program=world.program, goal=goal, number=1, started_on=date.today())
    values(world, panel, list(range(1400, 1420)))

    with django_assert_num_queries(expected):
        response = client.get(page_url(world))
    assert len(response.context["sections"]) == 8
