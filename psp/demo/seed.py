"""Builds the demo installation: each program, then each app's demo data inside its scope.

Every builder takes what it needs by natural key (email, practice name, program slug) and only
creates what is missing, so seeding again adds nothing twice and never changes or deletes what
people entered. A later app adds its demo data as one more module and one more line in BUILDERS.
"""

from django.db import transaction
from django.utils import timezone

from psp.demo import actions, assessments, feedback, invitations, people, plans, practices, visits
from psp.demo.common import DemoProgram, demo_password_hash
from psp.demo.programs import PROGRAMS, program_get_or_create
from psp.tenancy.scope import program_scope

# In dependency order: practices need the coaches, invitations need the practices, assessments
# need the practices' people and stage history, plans need the submitted assessments, visits
# work on the accepted plans' goals, actions (the plans' history and those agreed at visits) and
# feedback hang off the visits.
BUILDERS = [
    people.build,
    practices.build,
    invitations.build,
    assessments.build,
    plans.build,
    visits.build,
    actions.build,
    feedback.build,
]


def demo_seed(*, now=None) -> list[DemoProgram]:
    """Create whatever of the demo data is missing; all of it or, on error, none of it."""
    now = now or timezone.now()
    password_hash = demo_password_hash()
    seeded = []
    with transaction.atomic():
        for spec in PROGRAMS:
            program, created = program_get_or_create(spec)
            demo = DemoProgram(program=program, now=now, password_hash=password_hash)
            if created:
                demo.created["programs"] += 1
            # Tenant rows can only be read and written inside their program's scope.
            with program_scope(program):
                # The builders write in bulk: the models mark what each write changes
                # (practices/derived.py), so the caseload standings follow them too.
                for build in BUILDERS:
                    build(demo)
            seeded.append(demo)
    return seeded
