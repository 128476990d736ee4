"""The demo's checklist templates: the packs for the program's sectors, assigned the ways an
admin would (every practice, a sector, one practice), with past periods scheduled; seeding again
creates nothing and keeps an admin's changes."""

import pytest
from django.utils import timezone

from compliance.models import ChecklistAssignment, ChecklistInstance, ChecklistTemplate
from psp.demo import compliance_templates
from psp.demo.common import DemoProgram
from psp.tenancy.models import Sector
from psp.tenancy.scope import program_scope
from tests.conftest import build_world

pytestmark = pytest.mark.django_db


def _demo(world) -> DemoProgram:
    demo = DemoProgram(program=world.program, now=timezone.now(), password_hash="")
    demo.people |= {"admin": world.admin}
    return demo


def test_a_primary_care_demo_loads_and_assigns_its_packs(world):
    with program_scope(world.program):
        demo = _demo(world)
        compliance_templates.build(demo)
        keys = set(ChecklistTemplate.objects.values_list("key", flat=True))
        assert {"ipc-quarterly-audit", "privacy-onboarding", "security-before-pilot"} <= keys
        assert not keys & {"trust-monthly-reconciliation", "safeguarding-annual-review"}
        targets = {
            (a.template.key, a.practice_id, a.sector)
            for a in ChecklistAssignment.objects.select_related("template")
        }
        # The world's practice has its people; the other practice has nobody from the practice,
        # so each template is assigned to each of them, the other from this month only.
        for practice in (world.practice, world.other_practice):
            for key in ("privacy-annual-review", "ipc-quarterly-audit", "security-monthly-checks"):
                assert (key, practice.pk, "") in targets
        first = min([world.practice, world.other_practice], key=lambda p: p.name)
        assert ("consent-file-audit", first.pk, "") in targets
        assert not any(key == "records-retention-review" for key, *_ in targets)
        # About 14 months of monthly checks for each practice, overdue ones included.
        monthly = ChecklistInstance.objects.filter(template__key="security-monthly-checks")
        assert monthly.filter(practice=world.practice).count() >= 14
        assert monthly.filter(practice=world.other_practice).count() == 1
        assert demo.created["checklist templates"] == 11
        assert demo.created["checklists scheduled"] == 0  # each assignment scheduled its own

        renamed = ChecklistTemplate.objects.get(key="privacy-annual-review")
        renamed.name = "Our privacy review"
        renamed.save()
        counts = (ChecklistAssignment.objects.count(), ChecklistInstance.objects.count())
        again = _demo(world)
        compliance_templates.build(again)
        assert again.created == {}
        assert (ChecklistAssignment.objects.count(), ChecklistInstance.objects.count()) == counts
        assert ChecklistTemplate.objects.get(key="privacy-annual-review").name == renamed.name


def test_a_law_demo_gets_trust_accounting_and_no_infection_control(db):
    world = build_world("law-demo", "Law Demo", sector=Sector.LAW)
    with program_scope(world.program):
        world.practice.sector = world.other_practice.sector = Sector.LAW
        world.practice.save()
        world.other_practice.save()
        compliance_templates.build(_demo(world))
        keys = set(ChecklistTemplate.objects.values_list("key", flat=True))
        assert {"trust-monthly-reconciliation", "conflict-checks-quarterly"} <= keys
        assert "ipc-quarterly-audit" not in keys
        trust = ChecklistAssignment.objects.get(
            template__key="trust-monthly-reconciliation", practice=world.practice
        )
        assert ChecklistInstance.objects.filter(template=trust.template).count() >= 2
