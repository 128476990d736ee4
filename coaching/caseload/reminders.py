"""Reminders of practices at risk: to a practice's coaches when it turns stalled or needs
attention, and a weekly digest of the turns to the program's managers
(psp/notifications/registry.py has the contract; the notifications app delivers).

Both read the caseload as its pages do: the stored standings, brought up to date first
(standings.standings_catch_up, the same catch-up the overview runs), then the at-risk
practices' facts, from which coaching/caseload/turns.py tells the day each turned."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import batched

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from coaching.actions.models import PlanAction
from coaching.actions.selectors import OPEN_ACTION_STATUSES
from coaching.caseload.facts import LIVE_ACTION
from coaching.caseload.models import CaseloadStanding
from coaching.caseload.rules import CaseloadStatus
from coaching.caseload.selectors import CaseloadEntry, caseload_rules, entries_of
from coaching.caseload.standings import CHUNK, standings_catch_up
from coaching.caseload.turns import status_since
from practices.models import Practice
from practices.selectors import coaches_of
from psp.dates import write_date
from psp.notifications.registry import Delivery, Due, Kind, register_rule
from psp.tenancy.models import ProgramMembership, ProgramRole

AT_RISK = (CaseloadStatus.STALLED, CaseloadStatus.ATTENTION)
# A turn is announced if it happened within this many days: a scan missed for a few days still
# announces it, and a practice stalled for months is not announced as new on the first scan.
RECENT_DAYS = 7

PRACTICE_AT_RISK = Kind(
    code="practice_at_risk",
    label="A practice you coach turning stalled or needing attention",
    description="You get this when a practice in your caseload turns stalled or needs attention "
    "under the program's caseload rules.",
    default=Delivery.DIGEST,
)
CASELOAD_WEEKLY = Kind(
    code="caseload_weekly",
    label="The week's practices at risk",
    description="Managers get this once a week, listing the practices that turned stalled or "
    "needs attention the week before (nothing when none did).",
    default=Delivery.IMMEDIATE,
)


@dataclass(frozen=True)
class Turn:
    entry: CaseloadEntry
    since: date  # the day it turned to entry.status

    @property
    def practice(self) -> Practice:
        return self.entry.practice

    @property
    def reason(self) -> str:
        return self.entry.verdict.reasons[0] if self.entry.verdict.flags else ""


def at_risk_turns(*, today: date) -> list[Turn]:
    """Every practice of the program in scope now stalled or needing attention, with the day it
    turned, worst first. The standings are brought up to date first, as the caseload overview
    does; then a fixed number of queries per 500 practices at risk."""
    rules = caseload_rules()
    standings_catch_up(practices=Practice.objects.all(), today=today, rules=rules)
    ids = list(
        CaseloadStanding.objects.filter(computed_on=today, status__in=AT_RISK)
        .order_by("practice_id")
        .values_list("practice_id", flat=True)
    )
    turns = []
    for chunk in batched(ids, CHUNK):
        overdue = _overdue_due_dates(chunk, today)
        for entry in entries_of(list(chunk), today=today, rules=rules):
            if entry.status not in AT_RISK:
                continue
            since = status_since(
                entry.verdict,
                entry.facts,
                rules,
                today=today,
                overdue_due_dates=overdue.get(entry.practice.pk, ()),
            )
            turns.append(Turn(entry=entry, since=since))
    turns.sort(key=lambda turn: turn.entry.sort_key)
    return turns


def _overdue_due_dates(practice_ids, today: date) -> dict[int, list[date]]:
    """practice id -> the due dates of its overdue actions (those the caseload counts)."""
    rows = PlanAction.objects.filter(
        LIVE_ACTION,
        practice_id__in=practice_ids,
        status__in=OPEN_ACTION_STATUSES,
        due_on__lt=today,
    ).values_list("practice_id", "due_on")
    dates: dict[int, list[date]] = {}
    for practice_id, due_on in rows:
        dates.setdefault(practice_id, []).append(due_on)
    return dates


def _status_words(status: str) -> str:
    return "stalled" if status == CaseloadStatus.STALLED else "needs attention"


@register_rule(PRACTICE_AT_RISK, description="Practices that turned stalled or needs attention.")
def practices_at_risk(program, *, today: date, now) -> Iterator[Due]:
    """One notice per coach of each practice that turned at risk in the last RECENT_DAYS days.
    Keyed on the practice, its status and the day it turned: each turn is announced once,
    whatever the number of scans, and a practice turning again later is announced again."""
    recent = [t for t in at_risk_turns(today=today) if t.since > today - timedelta(RECENT_DAYS)]
    coaches = coaches_of([turn.practice.pk for turn in recent])
    for turn in recent:
        practice, status = turn.practice, turn.entry.status
        since = write_date(turn.since, "long", style=program.date_style)
        url = reverse("practices:detail", kwargs={"program": program.slug, "pk": practice.pk})
        for coach in coaches.get(practice.pk, []):
            yield Due(
                kind=PRACTICE_AT_RISK.code,
                key=f"practice_at_risk:{practice.pk}:{status}:{turn.since.isoformat()}:{coach.pk}",
                title=f"{practice.name} {_status_words(status)}",
                url=url,
                recipient_id=coach.pk,
                body=f"{practice.name} turned {_status_words(status)} on {since}: {turn.reason}.",
                practice_id=practice.pk,
            )


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@register_rule(CASELOAD_WEEKLY, description="Each week, the practices that turned at risk.")
def caseload_weekly(program, *, today: date, now) -> Iterator[Due]:
    """Once per ISO week, to each manager: the practices that turned stalled or needs attention
    during the week before (Monday to Sunday), still at risk. The week is fixed by the ISO week,
    not by the day of the scan, so every scan of the week finds the same list (or none)."""
    this_week = week_start(today)
    last_week = this_week - timedelta(days=7)
    turned = [t for t in at_risk_turns(today=today) if last_week <= t.since < this_week]
    if not turned:
        return
    year, week, _ = today.isocalendar()
    style = program.date_style
    count = len(turned)
    title = (
        f"{count} practice{'' if count == 1 else 's'} turned stalled or needs attention "
        f"in the week of {write_date(last_week, 'long_day_month', style=style)}"
    )
    body = "\n".join(
        f"{t.practice.name}: {_status_words(t.entry.status)} since "
        f"{write_date(t.since, 'weekday_day_month', style=style)}. {t.reason}."
        for t in turned
    )
    url = reverse("caseload:overview", kwargs={"program": program.slug})
    for manager in _managers():
        yield Due(
            kind=CASELOAD_WEEKLY.code,
            key=f"caseload_weekly:{manager.pk}:{year}-W{week:02d}",
            title=title,
            url=url,
            recipient_id=manager.pk,
            body=body,
        )


def _managers():
    """The program's managers with an active role. One query."""
    roles = ProgramMembership.objects.filter(role=ProgramRole.MANAGER, is_active=True)
    return (
        get_user_model()
        .objects.filter(Q(pk__in=roles.values("user_id")), is_active=True)
        .order_by("full_name", "pk")
    )
