"""The demo's CPD from QI work: a practice lead's claim drafted from an achieved goal, and (in
the first program) their past transcript imported; seeding again adds nothing."""

import pytest
from django.utils import timezone

from cpd.models import CpdActivity
from psp.demo import cpd_claims
from psp.demo.common import DemoProgram
from psp.tenancy.scope import program_scope

pytestmark = pytest.mark.django_db


def test_a_lead_has_a_claim_to_confirm_and_an_imported_transcript(world, qi, monkeypatch):
    monkeypatch.setattr(cpd_claims, "TRANSCRIPT_PROGRAM", world.program.slug)
    # The tests' scheme credits workshops and audits only (the shipped packs credit every type).
    past = [row for row in cpd_claims.PRIMARY_CARE_PAST if row[0] in ("workshop", "practice_audit")]
    monkeypatch.setattr(cpd_claims, "PRIMARY_CARE_PAST", past)
    with program_scope(world.program):
        demo = DemoProgram(program=world.program, now=timezone.now(), password_hash="")
        cpd_claims.build(demo)

        claim = CpdActivity.objects.get(source="goal")
        assert (claim.person, claim.source_id, claim.status) == (world.lead, qi.goal.pk, "draft")
        imported = CpdActivity.objects.filter(source="import", person=world.lead)
        assert imported.count() == 2
        assert set(imported.values_list("status", flat=True)) == {"self_reported"}
        assert demo.created == {
            "CPD claims drafted from QI work": 1,
            "CPD activities imported from a past transcript": 2,
        }

        again = DemoProgram(program=world.program, now=timezone.now(), password_hash="")
        cpd_claims.build(again)
        assert again.created == {}
        assert CpdActivity.objects.count() == 3
