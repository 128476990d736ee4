"""How current the figures are: a write marks them out of date and queues one refresh through
the outbox (run inline in tests when the transaction commits), which brings them back; a write
during a refresh is not lost; the nightly fan-out and the command."""

from io import StringIO

import pytest
from django.core.management import call_command

from kpis.models import KpiRefresh, KpiSummary
from kpis.refresh import summaries
from kpis.refresh.selectors import freshness
from kpis.refresh.services import kpis_refresh, kpis_request_refresh
from kpis.refresh.tasks import refresh_all_kpis
from practices import derived
from practices.models import Practice
from psp.outbox.models import OutboxMessage, OutboxState
from tests.factories import CoachAssignmentFactory, UserFactory
from tests.kpis.refresh.helpers import put_values

pytestmark = pytest.mark.django_db
REFRESH = "kpis.tasks.refresh_kpis"


def refreshes_queued() -> list:
    return list(OutboxMessage.objects.filter(task=REFRESH).order_by("pk"))


def test_a_program_never_refreshed_is_not_current(scoped, django_assert_num_queries):
    with django_assert_num_queries(1):
        state = freshness(scoped.program)
    assert state.refreshed_at is None and not state.is_current


def test_a_write_makes_the_figures_out_of_date_until_its_refresh_has_run(
    scoped, define, django_capture_on_commit_callbacks
):
    kpi = define(aggregation="sum")
    kpis_refresh(program=scoped.program, months=1)
    before = freshness(scoped.program)
    assert before.is_current

    with django_capture_on_commit_callbacks(execute=True):
        put_values(scoped, kpi, scoped.month(0), [4, 5])
        kpis_request_refresh(program=scoped.program, reason="values entered")
        assert not freshness(scoped.program).is_current  # "updating"
    # The queued refresh ran when the write committed (inline in tests).
    after = freshness(scoped.program)
    assert after.is_current and after.refreshed_at > before.refreshed_at
    assert KpiSummary.objects.get(definition=kpi, breakdown="all").value == 9
    assert [message.state for message in refreshes_queued()] == [OutboxState.DONE]


def test_a_burst_of_writes_queues_one_refresh(scoped, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(5):
            kpis_request_refresh(program=scoped.program, reason="values entered")

    assert len(refreshes_queued()) == 1


def test_a_write_during_a_refresh_is_not_lost(scoped, define, monkeypatch):
    define()
    kpis_request_refresh(program=scoped.program)
    rebuild = summaries.summaries_rebuild

    def rebuild_while_someone_writes(*args, **kwargs):
        kpis_request_refresh(program=scoped.program, reason="a visit logged meanwhile")
        return rebuild(*args, **kwargs)

    monkeypatch.setattr(summaries, "summaries_rebuild", rebuild_while_someone_writes)
    kpis_refresh(program=scoped.program, months=1)

    row = KpiRefresh.objects.get()
    assert row.refreshed_at is not None and not freshness(scoped.program).is_current
    assert row.stale_since > row.started_at
    assert len(refreshes_queued()) == 2  # the write's own refresh is queued


def test_writes_to_practices_and_coach_assignments_ask_for_a_refresh(
    scoped, django_capture_on_commit_callbacks
):
    # The shared test data keeps one transaction open, so its batch of derived-data marks is
    # handed over with flush_pending(), as a read inside a transaction does; the subscriber
    # then waits for the commit, which the captured callbacks stand for.
    kpis_refresh(program=scoped.program, months=1)
    with django_capture_on_commit_callbacks(execute=True):
        Practice.objects.filter(pk=scoped.practices[0].pk).update(region="West")
        derived.flush_pending()
    assert len(refreshes_queued()) == 1
    assert freshness(scoped.program).is_current  # and it has run

    with django_capture_on_commit_callbacks(execute=False) as waiting:
        CoachAssignmentFactory(
            program=scoped.program, practice=scoped.practices[3], coach=UserFactory()
        )
        derived.flush_pending()
    assert freshness(scoped.program).is_current  # nothing until the write commits
    assert len(refreshes_queued()) == 1
    for callback in waiting:
        callback()
    assert len(refreshes_queued()) == 2
    assert not freshness(scoped.program).is_current  # queued, not yet run


def test_the_nightly_job_rebuilds_every_active_program(scoped, define):
    kpi = define(aggregation="sum")
    put_values(scoped, kpi, scoped.month(20), [1, 2])

    refresh_all_kpis()

    assert KpiSummary.objects.get(definition=kpi, breakdown="all").value == 3
    assert freshness(scoped.program).is_current


def test_the_command_refreshes_one_program(scoped, define):
    kpi = define(aggregation="mean")
    put_values(scoped, kpi, scoped.month(1), [2, 4])
    out = StringIO()

    call_command("refresh_kpis", program=scoped.program.slug, months=2, stdout=out)

    assert out.getvalue().startswith("east-psp: 1 KPIs")
    assert KpiSummary.objects.get(definition=kpi, breakdown="all").value == 3
