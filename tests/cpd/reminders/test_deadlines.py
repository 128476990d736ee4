"""Reminders of CPD deadlines (cpd/progress/reminders.py): 90, 30 and 7 days before a shortfall
is due, once each, in the program's days, only while the person is short, to the person only."""

from datetime import UTC, date, datetime, timedelta

import pytest

from cpd.models import CpdCycle
from cpd.progress.reminders import cpd_deadlines, threshold_for
from psp.notifications.models import Notification, NotificationPreference
from psp.notifications.services import notifications_scan
from psp.outbox.models import OutboxMessage
from psp.tenancy.models import ProgramMembership
from psp.tenancy.scope import program_scope
from tests.cpd.rules_examples import annual_hours, family
from tests.cpd.scheme_factories import make_activity, make_cycle, make_scheme
from tests.factories import MembershipFactory, UserFactory
from tests.reminder_helpers import noon, queries_of, run

pytestmark = pytest.mark.django_db

DUE = date(2026, 12, 31)  # the end of the calendar-year cycles below


def annual(program, code="law-society"):
    """12 hours a calendar year, 2 of them ethics."""
    rules = annual_hours(start="fixed", fixed_month=1, fixed_day=1)
    return make_scheme(program, rules, code=code, name="Law society")


def short_by_five(scheme, person) -> CpdCycle:
    """This year's cycle with the ethics done and 7 of the 12 hours: 5 hours short in total."""
    cycle = make_cycle(scheme, person, date(2026, 1, 1), DUE)
    make_activity(cycle, date(2026, 3, 2), 2, category="ethics", activity_type="course")
    make_activity(cycle, date(2026, 5, 4), 5, category="general", activity_type="course")
    return cycle


def deadline_notices(world) -> list[Notification]:
    with program_scope(world.program):
        return list(Notification.objects.filter(kind="cpd_deadline").order_by("created_at", "pk"))


def scan(world, now: datetime) -> None:
    with program_scope(world.program):
        notifications_scan(program=world.program, now=now)


def test_each_threshold_is_sent_once_on_its_day(world):
    cycle = short_by_five(annual(world.program), world.lead)

    for day in range(100, -3, -1):  # from 100 days before the deadline to 2 days after
        on = DUE - timedelta(days=day)
        scan(world, noon(on))
        scan(world, noon(on) + timedelta(hours=3))  # a later scan the same day adds nothing

    notices = deadline_notices(world)
    assert [(n.created_at.date(), n.key.rsplit(":", 1)[1]) for n in notices] == [
        (date(2026, 10, 2), "90"),
        (date(2026, 12, 1), "30"),
        (date(2026, 12, 24), "7"),
    ]
    assert {n.recipient_id for n in notices} == {world.lead.pk}
    assert notices[1].key == f"cpd_deadline:{cycle.pk}:total:2026-12-31:30"
    assert notices[1].title == "CPD: 5 more hours in total needed by 31 December 2026"
    assert notices[1].body == (
        "Your Law society cycle (1 January 2026 to 31 December 2026) asks for 12 hours in total "
        "by 31 December 2026, in 30 days; you have 7. Record what you have done in My CPD."
    )
    assert notices[1].url == "/p/north-psp/cpd/"


def test_the_day_is_the_programs_day(world):
    world.program.time_zone = "America/Vancouver"  # eight hours behind UTC in December
    world.program.save(update_fields=["time_zone"])
    short_by_five(annual(world.program), world.lead)
    scan(world, noon(date(2026, 11, 30)))  # the 90-day notice (31 days left)

    # 1 December 05:00 UTC is still 30 November in Vancouver: 31 days left, nothing new.
    scan(world, datetime(2026, 12, 1, 5, tzinfo=UTC))
    assert [n.key[-2:] for n in deadline_notices(world)] == ["90"]
    # 1 December 09:00 UTC is 1 December, 01:00 in Vancouver: the 30-day notice.
    scan(world, datetime(2026, 12, 1, 9, tzinfo=UTC))
    assert [n.key[-2:] for n in deadline_notices(world)] == ["90", "30"]


def test_nothing_is_sent_once_the_requirement_is_met(world):
    cycle = short_by_five(annual(world.program), world.lead)
    make_activity(cycle, date(2026, 9, 20), 5, category="general", activity_type="course")

    assert run(cpd_deadlines, world.program, today=date(2026, 12, 1)) == []


def test_only_what_is_short_is_named_and_rejected_work_does_not_count(world):
    cycle = make_cycle(annual(world.program), world.staff, date(2026, 1, 1), DUE)
    make_activity(cycle, date(2026, 4, 1), 12, category="general", activity_type="course")
    make_activity(cycle, date(2026, 6, 1), 2, category="ethics", status="rejected")

    (due,) = run(cpd_deadlines, world.program, today=date(2026, 12, 24))

    assert due.recipient_id == world.staff.pk
    assert due.title == "CPD: 2 more hours of Ethics and professionalism needed by 31 December 2026"
    assert (
        "asks for 2 hours of Ethics and professionalism by 31 December 2026, in 7 days; you "
        "have 0." in due.body
    )
    assert due.key == f"cpd_deadline:{cycle.pk}:category:ethics:2026-12-31:7"


def test_a_shortfall_that_comes_back_is_told_at_the_next_scan_with_the_days_left(world):
    cycle = short_by_five(annual(world.program), world.lead)
    extra = make_activity(cycle, date(2026, 9, 1), 5, category="general", activity_type="course")
    scan(world, noon(date(2026, 12, 1)))  # met on the 30-day notice's day: nothing
    assert deadline_notices(world) == []

    with program_scope(world.program):
        extra.status = "rejected"
        extra.save(update_fields=["status"])
    scan(world, noon(date(2026, 12, 10)))

    (notice,) = deadline_notices(world)
    assert notice.key.endswith(":30")
    assert "by 31 December 2026, in 21 days; you have 7." in notice.body


def test_a_per_year_minimum_is_due_at_the_end_of_its_cycle_year(world):
    scheme = make_scheme(world.program, family(), code="family-medicine", name="Family medicine")
    cycle = make_cycle(scheme, world.lead, date(2024, 7, 1), date(2029, 6, 30))
    make_activity(cycle, date(2026, 9, 10), 20)  # year 3 (July 2026 to June 2027): 5 short

    dues = run(cpd_deadlines, world.program, today=date(2027, 4, 1))  # 90 days before 30 June

    assert [due.title for due in dues] == [
        "CPD: 5 more credits in year 3 of your cycle needed by 30 June 2027"
    ]
    assert dues[0].key == f"cpd_deadline:{cycle.pk}:per_year:3:2027-06-30:90"
    # The cycle's own deadlines are years away: no notice about its total yet.
    assert run(cpd_deadlines, world.program, today=date(2026, 12, 1)) == []


def test_no_notice_before_the_window_or_after_the_deadline():
    assert [threshold_for(DUE - timedelta(days=n), DUE) for n in (91, 90, 31, 30, 8, 7, 0)] == [
        None,
        90,
        90,
        30,
        30,
        7,
        7,
    ]
    assert threshold_for(DUE + timedelta(days=1), DUE) is None


def test_nobody_without_a_role_and_no_scheme_out_of_use_is_reminded(world):
    scheme = annual(world.program)
    short_by_five(scheme, world.lead)
    short_by_five(make_scheme(world.program, annual_hours(), code="old", active=False), world.staff)
    with program_scope(world.program):
        ProgramMembership.objects.filter(user=world.lead).update(is_active=False)

    assert run(cpd_deadlines, world.program, today=date(2026, 12, 1)) == []


def test_another_programs_cycles_stay_apart(world, other_world):
    short_by_five(annual(world.program), world.lead)
    short_by_five(annual(other_world.program), other_world.staff)

    north = run(cpd_deadlines, world.program, today=date(2026, 12, 1))
    south = run(cpd_deadlines, other_world.program, today=date(2026, 12, 1))

    assert [due.recipient_id for due in north] == [world.lead.pk]
    assert [due.recipient_id for due in south] == [other_world.staff.pk]
    assert south[0].url == "/p/south-psp/cpd/"
    scan(world, noon(date(2026, 12, 1)))
    assert [n.recipient_id for n in deadline_notices(world)] == [world.lead.pk]
    with program_scope(other_world.program):
        assert not Notification.objects.filter(kind="cpd_deadline").exists()


def test_all_the_programs_cycles_are_read_in_the_same_queries_however_many(world):
    scheme = annual(world.program)
    short_by_five(scheme, world.lead)
    small = queries_of(cpd_deadlines, world.program, today=date(2026, 12, 1))
    for n in range(6):
        person = UserFactory(email=f"learner{n}@north-psp.example.org")
        MembershipFactory(program=world.program, user=person, role="practice")
        short_by_five(scheme, person)

    large = queries_of(cpd_deadlines, world.program, today=date(2026, 12, 1))

    assert len(run(cpd_deadlines, world.program, today=date(2026, 12, 1))) == 7
    assert small == large == 2


def test_the_digest_is_the_default_and_a_persons_choice_is_kept(world):
    short_by_five(annual(world.program), world.lead)
    short_by_five(annual(world.program, code="second"), world.staff)
    with program_scope(world.program):
        NotificationPreference.objects.create(
            program=world.program, user=world.staff, kind="cpd_deadline", delivery="immediate"
        )
    scan(world, noon(date(2026, 12, 1)))

    with program_scope(world.program):
        delivery = dict(
            Notification.objects.filter(kind="cpd_deadline").values_list("recipient", "delivery")
        )
        emails = OutboxMessage.objects.filter(key__startswith="notification-email:").count()
    assert delivery == {world.lead.pk: "digest", world.staff.pk: "immediate"}
    assert emails == 1  # only the staff member's, at once; the lead's waits for the digest
