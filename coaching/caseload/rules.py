"""The caseload status rules: from what is known about a practice (its facts) and the program's
CaseloadRules, a status (on track, needs attention, stalled) and the reasons for it, in words.

Pure: no queries, no clock (today is passed in), so every rule and threshold edge is tested
without a database. The facts are gathered in bulk by coaching/caseload/facts.py.

How each rule reads its threshold (0 switches a check off):
- days without a logged visit: flagged once the days since the last visit (or, for a practice
  never visited, since its first coach assignment or its enrolment, whichever is later) reach
  the rule's number;
- overdue actions: flagged once the count reaches the rule's number;
- plan progress: while a plan is active, flagged once the days since its last progress (an
  action done, or the plan's acceptance) reach the rule's number, at the rule's severity. A
  plan whose goals are all achieved, or whose actions are all done, is complete: finishing it
  was progress, so nothing is flagged until the rule's number of days after its last step;
  then the practice needs its next plan (or new actions), which is what the reason says, at
  "needs attention" at most (the practice did the work; the next step is the coach's);
- follow-up assessment: flagged, at the rule's severity, once its due date has passed.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import models

from coaching.caseload.models import Severity


class CaseloadStatus(models.TextChoices):
    STALLED = "stalled", "Stalled"
    ATTENTION = "attention", "Needs attention"
    ON_TRACK = "on_track", "On track"


# Worst first: the order of the caseload and of the status filter.
STATUS_ORDER = (CaseloadStatus.STALLED, CaseloadStatus.ATTENTION, CaseloadStatus.ON_TRACK)
STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}
_FROM_SEVERITY = {
    Severity.STALLED: CaseloadStatus.STALLED,
    Severity.ATTENTION: CaseloadStatus.ATTENTION,
}
# How a reason names the rule it met: "(program rule: needs attention after 45 days)".
_RULE_VERB = {CaseloadStatus.STALLED: "stalled", CaseloadStatus.ATTENTION: "needs attention"}


class Rule(models.TextChoices):
    NO_VISIT = "no_visit", "Days without a visit"
    OVERDUE_ACTIONS = "overdue_actions", "Overdue actions"
    NO_PLAN_PROGRESS = "no_plan_progress", "No plan progress"
    ASSESSMENT_OVERDUE = "assessment_overdue", "Follow-up assessment overdue"


@dataclass(frozen=True)
class PracticeFacts:
    """What the rules read about one practice. Dates are local dates."""

    last_visit_on: date | None = None
    # Where "days without a visit" counts from for a practice never visited.
    counted_from: date | None = None
    overdue_actions: int = 0
    oldest_overdue_on: date | None = None
    has_active_plan: bool = False
    last_progress_on: date | None = None
    # Every goal of the active plan achieved, or every action done: nothing left to progress.
    plan_complete: bool = False
    follow_up_due_on: date | None = None
    follow_up_instrument: str = ""


@dataclass(frozen=True)
class Flag:
    rule: str
    status: str  # CaseloadStatus.ATTENTION or STALLED
    message: str

    @property
    def status_label(self) -> str:
        return CaseloadStatus(self.status).label


@dataclass(frozen=True)
class Verdict:
    status: str
    flags: tuple[Flag, ...] = field(default=())

    @property
    def status_label(self) -> str:
        return CaseloadStatus(self.status).label

    @property
    def rank(self) -> int:
        return STATUS_RANK[self.status]

    @property
    def reasons(self) -> list[str]:
        return [flag.message for flag in self.flags]


def short_date(day: date, today: date) -> str:
    """ "12 Oct" this year, "12 Oct 2024" otherwise."""
    text = f"{day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def days_without_visit(facts: PracticeFacts, today: date) -> int | None:
    since = facts.last_visit_on or facts.counted_from
    return None if since is None else max((today - since).days, 0)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _visit_flag(facts: PracticeFacts, rules, today: date) -> Flag | None:
    days = days_without_visit(facts, today)
    if days is None:
        return None
    stalled, attention = rules.stalled_days_without_visit, rules.attention_days_without_visit
    if stalled and days >= stalled:
        status, rule_text = CaseloadStatus.STALLED, f"stalled after {_plural(stalled, 'day')}"
    elif attention and days >= attention:
        status = CaseloadStatus.ATTENTION
        rule_text = f"needs attention after {_plural(attention, 'day')}"
    else:
        return None
    if facts.last_visit_on is None:
        message = f"Never visited: {_plural(days, 'day')} since the coach took it on"
    else:
        message = f"No visit in {_plural(days, 'day')}"
    return Flag(Rule.NO_VISIT, status, f"{message} (program rule: {rule_text})")


def _overdue_flag(facts: PracticeFacts, rules, today: date) -> Flag | None:
    count = facts.overdue_actions
    if count <= 0:
        return None
    stalled, attention = rules.stalled_overdue_actions, rules.attention_overdue_actions
    if stalled and count >= stalled:
        status, rule_text = CaseloadStatus.STALLED, f"stalled at {stalled} overdue"
    elif attention and count >= attention:
        status, rule_text = CaseloadStatus.ATTENTION, f"needs attention at {attention} overdue"
    else:
        return None
    if count == 1:
        message = "1 action overdue"
        when = "due"
    else:
        message = f"{count} actions overdue"
        when = "oldest due"
    if facts.oldest_overdue_on is not None:
        message += f", {when} {short_date(facts.oldest_overdue_on, today)}"
    return Flag(Rule.OVERDUE_ACTIONS, status, f"{message} (program rule: {rule_text})")


def _progress_flag(facts: PracticeFacts, rules, today: date) -> Flag | None:
    severity, limit = rules.no_plan_progress, rules.days_without_plan_progress
    if severity == Severity.OFF or not limit or not facts.has_active_plan:
        return None
    if facts.last_progress_on is None:
        return None
    days = max((today - facts.last_progress_on).days, 0)
    if days < limit:
        return None
    status = _FROM_SEVERITY[severity]
    if facts.plan_complete:
        status = CaseloadStatus.ATTENTION
        return Flag(
            Rule.NO_PLAN_PROGRESS,
            status,
            f"Support plan complete since {short_date(facts.last_progress_on, today)}: "
            f"no next plan in {_plural(days, 'day')} "
            f"(program rule: {_RULE_VERB[status]} after {_plural(limit, 'day')})",
        )
    return Flag(
        Rule.NO_PLAN_PROGRESS,
        status,
        f"No progress on the support plan in {_plural(days, 'day')}, last on "
        f"{short_date(facts.last_progress_on, today)} "
        f"(program rule: {_RULE_VERB[status]} after {_plural(limit, 'day')})",
    )


def _assessment_flag(facts: PracticeFacts, rules, today: date) -> Flag | None:
    severity, due = rules.assessment_overdue, facts.follow_up_due_on
    if severity == Severity.OFF or due is None or due >= today:
        return None
    days = (today - due).days
    what = "Follow-up assessment"
    if facts.follow_up_instrument:
        what += f" ({facts.follow_up_instrument})"
    return Flag(
        Rule.ASSESSMENT_OVERDUE,
        _FROM_SEVERITY[severity],
        f"{what} overdue by {_plural(days, 'day')}, due {short_date(due, today)}",
    )


RULES = (_visit_flag, _overdue_flag, _progress_flag, _assessment_flag)


def caseload_status(facts: PracticeFacts, rules, *, today: date) -> Verdict:
    """The practice's status, the worst of its flags (stalled > needs attention > on track),
    with every flag that was raised, worst first. `rules` is a CaseloadRules (saved or not)."""
    flags = [flag for check in RULES if (flag := check(facts, rules, today)) is not None]
    if not flags:
        return Verdict(CaseloadStatus.ON_TRACK)
    flags.sort(key=lambda flag: STATUS_RANK[flag.status])
    return Verdict(flags[0].status, tuple(flags))
