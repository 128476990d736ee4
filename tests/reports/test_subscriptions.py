"""Subscriptions: a manager's program report made every month or quarter for the period just
ended, once per period however often the job runs."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from psp.reports import services
from psp.reports.models import Report, ReportSubscription
from psp.reports.periods import period_before, run_after
from psp.reports.tasks import run_all_due_subscriptions
from psp.tenancy.access import access_for
from psp.tenancy.models import ProgramMembership, ProgramRole
from psp.tenancy.scope import program_scope


@pytest.mark.parametrize(
    ("frequency", "today", "first", "last", "code", "next_run"),
    [
        (
            "monthly",
            date(2026, 12, 1),
            date(2026, 11, 1),
            date(2026, 11, 30),
            "2026-11",
            date(2027, 1, 1),
        ),
        (
            "monthly",
            date(2027, 1, 3),
            date(2026, 12, 1),
            date(2026, 12, 31),
            "2026-12",
            date(2027, 2, 1),
        ),
        (
            "monthly",
            date(2028, 3, 1),
            date(2028, 2, 1),
            date(2028, 2, 29),
            "2028-02",
            date(2028, 4, 1),
        ),
        (
            "quarterly",
            date(2027, 1, 1),
            date(2026, 10, 1),
            date(2026, 12, 31),
            "2026-Q4",
            date(2027, 4, 1),
        ),
        (
            "quarterly",
            date(2026, 8, 15),
            date(2026, 4, 1),
            date(2026, 6, 30),
            "2026-Q2",
            date(2026, 10, 1),
        ),
    ],
)
def test_the_period_just_ended_and_the_next_run(frequency, today, first, last, code, next_run):
    period = period_before(frequency, today)
    assert (period.first, period.last, period.code) == (first, last, code)
    assert run_after(frequency, today) == next_run


def _subscribe(world, user, frequency="monthly", **filters):
    with program_scope(world.program):
        access = access_for(program=world.program, user=user)
        document = services.document_or_error("program_report")
        return services.subscription_create(
            program=world.program,
            access=access,
            document_code="program_report",
            params=services.params_from_data(document, filters, access=access),
            frequency=frequency,
        )


@pytest.mark.django_db
def test_a_subscription_starts_when_the_period_under_way_ends(world):
    subscription = _subscribe(world, world.manager, "quarterly")
    today = world.program.local_today()
    assert subscription.next_run_on == run_after("quarterly", today)
    assert subscription.next_run_on > today and subscription.next_run_on.day == 1


@pytest.mark.django_db
def test_a_subscription_says_what_each_report_covers_not_the_dates_it_was_made_with(world):
    monthly = _subscribe(world, world.manager, sector="law")
    quarterly = _subscribe(world, world.admin, "quarterly")
    assert monthly.description.startswith("Each month just ended")
    assert "Law practice" in monthly.description
    assert quarterly.description.startswith("Each quarter just ended")
    # No date range: each report it makes covers its own period.
    for subscription in (monthly, quarterly):
        assert " – " not in subscription.description, subscription.description


@pytest.mark.django_db
def test_running_twice_makes_one_report_for_the_period(world, django_capture_on_commit_callbacks):
    subscription = _subscribe(world, world.manager)
    with program_scope(world.program):
        ReportSubscription.objects.filter(pk=subscription.pk).update(next_run_on=date(2026, 12, 1))
        with django_capture_on_commit_callbacks(execute=True):
            made = services.subscriptions_run_due(program=world.program, today=date(2026, 12, 1))
            again = services.subscriptions_run_due(program=world.program, today=date(2026, 12, 1))
        # The beat job too (one task per program, each in its own scope).
        run_all_due_subscriptions.apply()

        assert again == []
        [report] = Report.objects.all()
        subscription.refresh_from_db()
    assert made == [report]
    assert report.key == f"subscription:{subscription.pk}:2026-11"
    assert report.subscription == subscription
    assert report.requested_by == world.manager
    assert (report.params["date_from"], report.params["date_to"]) == ("2026-11-01", "2026-11-30")
    assert report.state == "done"  # made by the worker, with the same notice as a request
    assert subscription.next_run_on == date(2027, 1, 1)


@pytest.mark.django_db
def test_a_subscriber_who_lost_the_role_gets_nothing_and_the_subscription_ends(world):
    subscription = _subscribe(world, world.manager)
    with program_scope(world.program):
        ProgramMembership.objects.filter(user=world.manager).update(role=ProgramRole.COACH)
        ReportSubscription.objects.filter(pk=subscription.pk).update(next_run_on=date(2026, 12, 1))
        assert services.subscriptions_run_due(program=world.program, today=date(2026, 12, 2)) == []
        assert Report.objects.count() == 0
        assert ReportSubscription.objects.get().active is False


@pytest.mark.django_db
def test_a_cancelled_subscription_makes_nothing(world):
    subscription = _subscribe(world, world.manager)
    with program_scope(world.program):
        services.subscription_cancel(
            program=world.program,
            access=access_for(program=world.program, user=world.manager),
            subscription=subscription,
        )
        ReportSubscription.objects.filter(pk=subscription.pk).update(next_run_on=date(2026, 12, 1))
        assert services.subscriptions_run_due(program=world.program, today=date(2026, 12, 2)) == []


@pytest.mark.django_db
def test_who_may_subscribe(world):
    with pytest.raises(PermissionDenied):
        _subscribe(world, world.coach)
    with program_scope(world.program), pytest.raises(ValidationError):
        services.subscription_create(
            program=world.program,
            access=access_for(program=world.program, user=world.admin),
            document_code="practice_card",
            params={"practice": world.practice.pk},
            frequency="monthly",
        )
    with pytest.raises(ValidationError):
        _subscribe(world, world.admin, "weekly")


@pytest.mark.django_db
def test_the_command_for_cron_makes_the_due_reports_once_and_expires_old_files(world, capsys):
    from django.core.management import call_command

    subscription = _subscribe(world, world.manager)
    with program_scope(world.program):
        ReportSubscription.objects.filter(pk=subscription.pk).update(
            next_run_on=world.program.local_today()
        )
    call_command("run_report_jobs")
    call_command("run_report_jobs")

    with program_scope(world.program):
        assert Report.objects.filter(subscription=subscription).count() == 1
    assert "subscriptions" in capsys.readouterr().out
