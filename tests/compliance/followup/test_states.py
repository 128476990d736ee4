"""Where a checklist stands on a day (compliance/followup/states.py): pure rules."""

from datetime import date

from compliance.followup.states import FollowUp, standing

TODAY = date(2026, 12, 3)


def on(status, due, signed=None):
    return standing(status=status, due_on=due, signed_on=signed, today=TODAY)


def test_an_unsigned_checklist_is_overdue_the_day_after_its_due_date():
    assert on("open", date(2026, 12, 3)).short == "Due today"
    late = on("in_progress", date(2026, 12, 2))
    assert (late.state, late.days_overdue, late.short) == (FollowUp.OVERDUE, 1, "Overdue 1 d")


def test_due_soon_is_the_next_fourteen_days():
    assert on("open", date(2026, 12, 17)).state == FollowUp.DUE_SOON
    assert on("open", date(2026, 12, 18)).state == FollowUp.NOT_DUE


def test_completed_but_unsigned_waits_and_can_be_overdue():
    waiting = on("completed", date(2026, 11, 28))
    assert waiting.state == FollowUp.AWAITING_SIGNOFF
    assert waiting.is_overdue and waiting.short == "To sign, 5 d over"


def test_signed_on_the_due_date_is_on_time_and_after_it_late_by_the_days():
    assert on("attested", date(2026, 11, 30), date(2026, 11, 30)).state == FollowUp.SIGNED_ON_TIME
    late = on("attested", date(2026, 11, 30), date(2026, 12, 2))
    assert (late.state, late.days_overdue, late.is_overdue) == (FollowUp.SIGNED_LATE, 2, False)
