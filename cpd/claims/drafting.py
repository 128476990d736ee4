"""What a claim drafted from quality-improvement work says: its title, dates, hours and
reflection, written from the goal's, cycle's or round's facts. The person reads it, corrects it
and confirms it; nothing here counts until they do.

Every claim is a practice audit (ActivityType.PRACTICE_AUDIT): a goal worked on with a coach, a
PDSA test of change and an assessment round are all the audit and improvement of one's own
practice, which is what that type stands for. Every scheme we ship credits it by the hour in its
quality-improvement category (family medicine and specialists: assessment; law: practice
management; teaching: collaborative), and its reflection questions (what was found, what changes,
when to audit again) are the questions QI work answers.

Hours: a goal's are the minutes of the visits logged against it. A PDSA cycle or an assessment
round has no recorded time (and a cycle's visits are already its goal's), so the person gives
theirs before confirming.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from assessments.rounds import for_cpd as audits
from coaching import for_cpd as coaching
from cpd.activities.models import ActivityType, ClaimSource
from cpd.activities.reflection import MAX_ANSWER

CLAIM_TYPE = ActivityType.PRACTICE_AUDIT
MAX_TITLE = 200
HOUR = Decimal(60)


@dataclass(frozen=True)
class Draft:
    title: str
    started_on: date
    ended_on: date
    hours: Decimal
    reflection: dict


def draft_for(kind: str, subject, *, today: date | None = None) -> Draft:
    today = today or timezone.localdate()
    if kind == ClaimSource.GOAL:
        return _from_goal(coaching.goal_facts(goal=subject), today)
    if kind == ClaimSource.PDSA:
        return _from_cycle(coaching.cycle_facts(cycle=subject), today)
    return _from_audit(audits.audit_facts(assessment=subject), today)


def _dates(started_on: date | None, ended_on: date | None, today: date) -> tuple[date, date]:
    """Dates a record may hold: not after today, the start not after the end."""
    ended_on = min(ended_on or today, today)
    return min(started_on or ended_on, ended_on), ended_on


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def _answers(**texts) -> dict:
    return {key: text[:MAX_ANSWER] for key, text in texts.items() if text}


def _from_goal(facts: coaching.GoalFacts, today: date) -> Draft:
    last_visit = facts.visit_dates[-1] if facts.visit_dates else None
    first = facts.visit_dates[0] if facts.visit_dates else facts.plan_started_on
    started_on, ended_on = _dates(first, facts.achieved_on or last_visit, today)
    domain = f" ({facts.domain_name}" if facts.domain_name else ""
    if domain and facts.baseline_percent is not None:
        domain += f", {facts.baseline_percent}% at the baseline assessment"
    domain += ")" if domain else ""
    found = [f"Goal of {facts.practice_name}'s support plan “{facts.plan_title}”: {facts.title}"
             f"{domain}."]  # fmt: skip
    if facts.measure:
        found.append(f"Measurable target: {facts.measure}.")
    if facts.visit_dates:
        days = ", ".join(_day(d) for d in facts.visit_dates)
        found.append(f"Worked on with our coach at {len(facts.visit_dates)} visit(s): {days}.")
    found.append(f"Achieved on {_day(ended_on)}.")
    change = ""
    if facts.actions_done:
        change = "Actions done:\n" + "\n".join(f"- {title}" for title in facts.actions_done)
    reaudit = f"We keep watching the KPI {_kpi(facts.kpi_key)}." if facts.kpi_key else ""
    return Draft(
        title=f"Quality improvement: {facts.title}"[:MAX_TITLE],
        started_on=started_on,
        ended_on=ended_on,
        hours=(Decimal(facts.visit_minutes) / HOUR).quantize(Decimal("0.01")),
        reflection=_answers(found=" ".join(found), change=change, reaudit=reaudit),
    )


def _from_cycle(facts: coaching.CycleFacts, today: date) -> Draft:
    started_on, ended_on = _dates(facts.started_on, facts.ended_on, today)
    found = [
        f"PDSA cycle {facts.number} on the goal “{facts.goal_title}” ({facts.practice_name}).",
        f"Plan: we tested {facts.change_idea}. We predicted: {facts.prediction}",
    ]
    if facts.what_done:
        found.append(f"Do: {facts.what_done}")
    if facts.result:
        found.append(f"Study: {facts.result}")
    act = f"Act: {facts.decision}." if facts.decision else ""
    if facts.act_notes:
        act = f"{act} {facts.act_notes}".strip()
    reaudit = f"KPI watched: {_kpi(facts.kpi_key)}." if facts.kpi_key else ""
    return Draft(
        title=f"PDSA cycle {facts.number}: {facts.change_idea}"[:MAX_TITLE],
        started_on=started_on,
        ended_on=ended_on,
        hours=Decimal("0.00"),
        reflection=_answers(found="\n".join(found), change=act, reaudit=reaudit),
    )


def _from_audit(facts: audits.AuditFacts, today: date) -> Draft:
    started_on, ended_on = _dates(facts.opened_on, facts.submitted_on, today)
    found = f"{facts.kind} assessment of {facts.practice_name} against {facts.instrument_name}"
    if facts.overall_score is not None:
        found += f": {facts.overall_score}% of the attainable overall"
    found += "."
    scored = [f"{name} {percent}%" for name, percent in facts.domains if percent is not None]
    if scored:
        found += " By domain: " + ", ".join(scored) + "."
    return Draft(
        title=facts.title[:MAX_TITLE],
        started_on=started_on,
        ended_on=ended_on,
        hours=Decimal("0.00"),
        reflection=_answers(found=found),
    )


def _kpi(key: str) -> str:
    # cpd never imports kpis (docs/architecture.md): the key, as words.
    return key.replace("-", " ").replace("_", " ")
