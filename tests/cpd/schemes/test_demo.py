"""The demo's schemes: each program's sector templates, a hand-picked specialist, a verifier,
and nothing created or changed by seeding again."""

import pytest
from django.utils import timezone

from cpd.models import CpdScheme, CpdSchemeMember, CpdVerifier
from psp.demo import cpd_schemes
from psp.demo.common import DemoProgram
from psp.tenancy.models import Sector
from psp.tenancy.scope import program_scope
from tests.conftest import build_world

pytestmark = pytest.mark.django_db


def _demo(world) -> DemoProgram:
    demo = DemoProgram(program=world.program, now=timezone.now(), password_hash="")
    demo.people |= {"admin": world.admin, "manager": world.manager}
    return demo


def test_a_primary_care_demo_loads_family_medicine_and_a_hand_picked_specialist(world):
    with program_scope(world.program):
        demo = _demo(world)
        cpd_schemes.build(demo)
        schemes = {s.code: s for s in CpdScheme.objects.all()}
        assert set(schemes) == {"family-medicine", "specialist"}
        assert schemes["family-medicine"].applies_to_roles == ["lead", "staff"]
        assert schemes["specialist"].applies_to_roles == []
        assert list(CpdSchemeMember.objects.values_list("user", flat=True)) == [world.lead.pk]
        assert list(CpdVerifier.objects.values_list("user", flat=True)) == [world.manager.pk]
        assert demo.created == {"CPD schemes": 2, "CPD verifiers": 1}

        schemes["family-medicine"].name = "Edited by the admin"
        schemes["family-medicine"].save()
        again = _demo(world)
        cpd_schemes.build(again)
        assert again.created == {}
        assert CpdScheme.objects.get(code="family-medicine").name == "Edited by the admin"


def test_a_law_demo_loads_the_law_society_template(db):
    world = build_world("law-demo", "Law Demo", sector=Sector.LAW)
    with program_scope(world.program):
        cpd_schemes.build(_demo(world))
        assert list(CpdScheme.objects.values_list("code", flat=True)) == ["law-society"]
