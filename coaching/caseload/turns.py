"""When a practice turned to its present caseload status, for the reminders that announce the
turn (coaching/caseload/reminders.py).

Standings are stored one per practice and overwritten each day (standings.py), so no row says
when a status began. It does not need to: each rule flags a practice from a date that follows
from its facts and the program's thresholds (days without a visit reach 45 on the last visit's
day plus 45; the fifth overdue action is overdue the day after its due date; and so on). Under
the facts as they are today, a practice's status only gets worse as days pass, so it turned to
its present status on the earliest day one of the flags at that status began. The date is
stable from one day to the next while nothing changes, which is what a notification key needs,
and it moves only when the facts do (a visit logged, an action done, new rules): a real change.
Pure: no queries, no clock.
"""

from collections.abc import Sequence
from datetime import date, timedelta

from coaching.caseload.rules import CaseloadStatus, Rule, Verdict


def _visit_start(facts, rules, status) -> date | None:
    since = facts.last_visit_on or facts.counted_from
    if since is None:
        return None
    if status == CaseloadStatus.STALLED:
        days = rules.stalled_days_without_visit
    else:
        days = rules.attention_days_without_visit
    return since + timedelta(days=days)


def _overdue_start(facts, rules, status, overdue_due_dates: Sequence[date]) -> date | None:
    if status == CaseloadStatus.STALLED:
        count = rules.stalled_overdue_actions
    else:
        count = rules.attention_overdue_actions
    dates = sorted(overdue_due_dates)
    if count and len(dates) >= count:
        # The count reached the threshold the day after the count-th oldest was due.
        return dates[count - 1] + timedelta(days=1)
    if facts.oldest_overdue_on is not None:
        return facts.oldest_overdue_on + timedelta(days=1)
    return None


def _progress_start(facts, rules) -> date | None:
    if facts.last_progress_on is None:
        return None
    return facts.last_progress_on + timedelta(days=rules.days_without_plan_progress)


def _assessment_start(facts) -> date | None:
    if facts.follow_up_due_on is None:
        return None
    return facts.follow_up_due_on + timedelta(days=1)


def status_since(
    verdict: Verdict, facts, rules, *, today: date, overdue_due_dates: Sequence[date] = ()
) -> date | None:
    """The day the practice turned to `verdict.status` (needs attention or stalled), never after
    `today`; None for a practice on track. `overdue_due_dates` are the due dates of its overdue
    actions (without them the oldest overdue action's date stands in)."""
    if verdict.status == CaseloadStatus.ON_TRACK:
        return None
    starts = []
    for flag in verdict.flags:
        if flag.status != verdict.status:
            continue
        if flag.rule == Rule.NO_VISIT:
            start = _visit_start(facts, rules, flag.status)
        elif flag.rule == Rule.OVERDUE_ACTIONS:
            start = _overdue_start(facts, rules, flag.status, overdue_due_dates)
        elif flag.rule == Rule.NO_PLAN_PROGRESS:
            start = _progress_start(facts, rules)
        else:
            start = _assessment_start(facts)
        if start is not None:
            starts.append(start)
    return min([*starts, today]) if starts else today
