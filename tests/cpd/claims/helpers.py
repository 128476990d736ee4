"""Drafting through the service, as the claim tests do."""

from cpd.claims.services import claim_draft
from psp.tenancy.scope import program_scope


def draft(world, person, source, source_id):
    with program_scope(world.program):
        return claim_draft(program=world.program, by=person, source=source, source_id=source_id)
