"""Builds the demo installation: each program, then each app's demo data inside its scope.

Every builder takes what it needs by natural key (email, practice name, program slug) and only
creates what is missing, so seeding again adds nothing twice and never changes or deletes what
people entered. A later app adds its demo data as one more module and one more line in BUILDERS.
"""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from psp.demo import (
    actions,
    assessments,
    compliance_checklists,
    compliance_templates,
    cpd_activities,
    cpd_claims,
    cpd_documents,
    cpd_notifications,
    cpd_schemes,
    feedback,
    invitations,
    kpi_definitions,
    kpi_figures,
    kpi_values,
    notifications,
    pdsa,
    people,
    plans,
    practices,
    reports,
    visits,
)
from psp.demo.common import DemoProgram, demo_password_hash
from psp.demo.programs import PROGRAMS, program_get_or_create
from psp.notifications.services import recorded_as_delivered
from psp.tenancy.scope import program_scope

# In dependency order: practices need the coaches, invitations need the practices, assessments
# need the practices' people and stage history, plans need the submitted assessments, visits
# work on the accepted plans' goals, actions (the plans' history and those agreed at visits) and
# feedback hang off the visits, PDSA cycles test changes on the active plans' goals, people's
# CPD is recorded (and verified) under the schemes loaded earlier (a specialist's cycle
# started first, to end within a month; the verifiers' notices dated after); the KPI packs, the
# CPD schemes and the checklist packs (assigned, so their checklists are scheduled) are loaded
# once the practices exist, KPI values entered once plans are
# active (values improve after a plan starts), and the figures computed from everything before
# them (compliance checklists are filled in once their templates are assigned, before the
# figures and reminders that read them); then something due for every reminder rule, from all
# of them; the reports people asked for (each telling its requester it is ready); last, what
# the reminder rules find, recorded as delivered, so everyone has notifications on first login.
BUILDERS = [
    people.build,
    practices.build,
    kpi_definitions.build,
    cpd_schemes.build,
    compliance_templates.build,
    invitations.build,
    assessments.build,
    plans.build,
    visits.build,
    actions.build,
    pdsa.build,
    feedback.build,
    cpd_notifications.deadline,
    cpd_activities.build,
    cpd_notifications.build,
    cpd_claims.build,
    compliance_checklists.build,
    kpi_values.build,
    kpi_figures.build,
    notifications.build,
    reports.build,
    cpd_documents.build,
    notifications.record,
]

# What each builder makes, for the progress lines `seed_demo` prints.
STEPS = {
    people.build: "people and their program roles",
    practices.build: "practices, their people, coaches and stage history",
    invitations.build: "pending invitations",
    assessments.build: "instrument packs and assessments",
    plans.build: "support plans",
    visits.build: "two years of coaching visits",
    actions.build: "actions and their history",
    pdsa.build: "PDSA cycles on the plans' goals",
    feedback.build: "participant feedback",
    kpi_definitions.build: "KPI packs, targets and practices' own targets",
    cpd_schemes.build: "CPD schemes from the templates, who they apply to, a verifier",
    compliance_templates.build: "checklist packs for the practices' sectors, and their assignments",
    cpd_notifications.deadline: "a CPD cycle ending within a month",
    cpd_activities.build: "two years of CPD activities, the verifier's queue, a PSP workshop",
    cpd_notifications.build: "the verifiers' CPD notices, dated when they decided",
    cpd_claims.build: "a CPD claim drafted from a goal achieved, a past transcript imported",
    compliance_checklists.build: "checklists done on time, late, overdue and due soon",
    kpi_values.build: "two years of KPI values the practices entered",
    kpi_figures.build: "KPI figures: computed values, summaries and peer percentiles",
    notifications.build: "something due for every reminder",
    reports.build: "report cards, the program report and a subscription",
    cpd_documents.build: "a completed CPD cycle, its certificate and transcript",
    notifications.record: "the notifications everyone finds on first login",
}


def demo_seed(*, now=None, progress: Callable[[str], None] | None = None) -> list[DemoProgram]:
    """Create whatever of the demo data is missing; all of it or, on error, none of it.

    `progress`, if given, is told each step as it starts (the whole takes about a minute)."""
    now = now or timezone.now()
    progress = progress or (lambda step: None)
    password_hash = demo_password_hash()
    seeded = []
    with transaction.atomic():
        for spec in PROGRAMS:
            program, created = program_get_or_create(spec)
            demo = DemoProgram(program=program, now=now, password_hash=password_hash)
            if created:
                demo.created["programs"] += 1
            # Tenant rows can only be read and written inside their program's scope. The
            # notifications the demo records count as delivered already: nobody is emailed.
            with program_scope(program), recorded_as_delivered():
                # The builders write in bulk: the models mark what each write changes
                # (practices/derived.py), so the caseload standings follow them too.
                for build in BUILDERS:
                    progress(f"{program.name}: {STEPS[build]}")
                    build(demo)
            seeded.append(demo)
    return seeded
