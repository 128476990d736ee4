"""Demo CPD from quality-improvement work and from a past transcript, through the services.

In each program, the first practice lead (by name) whose practice achieved a plan goal worked on
at logged visits has drafted a CPD claim from it: a practice-audit draft on their My CPD, its
hours from those visits, waiting for them to check and confirm. In the first program, the same
lead imported their transcript from before the platform: a few activities three to four years
ago, self-reported, each with `source=import`.

Seeding again adds nothing twice: a goal drafts one claim per person, and the transcript's rows
already in the record are left out.
"""

import csv
import io
from datetime import timedelta

from coaching import for_cpd
from coaching.plans.models import GoalStatus, PlanGoal
from coaching.visits.models import VisitGoal, VisitStatus
from cpd.claims.services import claim_draft
from cpd.imports.rows import COLUMNS
from cpd.imports.services import transcript_import
from cpd.schemes.cycles import scheme_for
from practices.models import PracticeMembership
from psp.demo.common import DemoProgram
from psp.demo.programs import PROGRAMS
from psp.tenancy.access import access_for
from psp.tenancy.models import Sector

PRIMARY_CARE_PAST = [
    ("workshop", "Chronic pain: beyond the prescription", "College of family physicians", 1200,
     "6", "Agree function goals with the patient before any change of medicine."),
    ("conference", "Family medicine forum", "College of family physicians", 1150, "12",
     "The session on team-based care changed how we run our diabetes clinic."),
    ("course", "Advanced cardiac life support (recertification)", "Heart and stroke foundation",
     1300, "8", ""),
    ("practice_audit", "Audit: cervical screening recall", "Our practice", 1100, "4",
     "38% of eligible patients overdue; we set up a monthly recall list."),
]  # fmt: skip
# The program whose lead also imported a past transcript.
TRANSCRIPT_PROGRAM = PROGRAMS[0].slug
LAW_PAST = [
    ("course", "Professional responsibility update", "Law society", 1200, "3",
     "Conflict checks must include former clients' related companies."),
    ("seminar", "Trust accounting essentials", "Law society", 1150, "2", ""),
    ("conference", "Annual family law conference", "Bar association", 1300, "10",
     "Parenting plans hold better when the parents draft the schedule themselves."),
]  # fmt: skip


def build(demo: DemoProgram) -> None:
    lead, goal = _lead_with_achieved_goal()
    if lead is None:
        return
    today = demo.now.date()
    _, drafted = claim_draft(
        program=demo.program, by=lead, source="goal", source_id=goal.pk, today=today
    )
    if drafted:
        demo.created["CPD claims drafted from QI work"] += 1
    if demo.program.slug == TRANSCRIPT_PROGRAM and scheme_for(person=lead, on=today):
        _past_transcript(demo, lead)


def _lead_with_achieved_goal():
    """The first lead (by name) whose practice has an achieved goal worked on at logged visits
    before it was achieved, and that goal; (None, None) when there is none."""
    worked = VisitGoal.objects.filter(visit__status=VisitStatus.LOGGED).values("goal_id")
    goals = PlanGoal.objects.filter(status=GoalStatus.ACHIEVED, pk__in=worked)
    leads = PracticeMembership.objects.filter(role="lead", is_active=True).select_related("user")
    for membership in leads.order_by("user__full_name", "pk"):
        practice_goals = goals.filter(plan__practice_id=membership.practice_id)
        for goal in practice_goals.select_related("plan__practice").order_by("pk"):
            if for_cpd.goal_facts(goal=goal).visit_minutes:
                return membership.user, goal
    return None, None


def _past_transcript(demo, person) -> None:
    past = LAW_PAST if demo.program.sector == Sector.LAW else PRIMARY_CARE_PAST
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for kind, title, provider, days_ago, hours, reflection in past:
        day = (demo.now.date() - timedelta(days=days_ago)).isoformat()
        row = {"type": kind, "title": title, "provider": provider, "started_on": day,
               "hours": hours, "status": "self_reported", "reflection": reflection}  # fmt: skip
        writer.writerow([row.get(column, "") for column in COLUMNS])
    result = transcript_import(
        program=demo.program,
        access=access_for(program=demo.program, user=person),
        by=person,
        data=out.getvalue().encode(),
        commit=True,
        today=demo.now.date(),
    )
    if result.errors:  # the demo's own data: a problem here is a bug in this module
        raise ValueError(f"The demo transcript does not import: {result.errors}")
    if result.rows:
        demo.created["CPD activities imported from a past transcript"] += len(result.rows)
