"""Fixtures for the CPD activity tests: the persona world with a family-medicine style scheme
for practice leads and staff (coaches, admins and managers have none), and the other coach named
a verifier."""

from types import SimpleNamespace

import pytest

from cpd.models import CpdVerifier
from psp.tenancy.scope import program_scope
from tests.cpd.rules_examples import family
from tests.cpd.scheme_factories import make_scheme
from tests.shared_data import shared_fixture


@shared_fixture
def cpd_world():
    from tests.conftest import build_world

    world = build_world("north-psp", "North PSP")
    scheme = make_scheme(world.program, family(), code="family-medicine", roles=("lead", "staff"))
    with program_scope(world.program):
        CpdVerifier.objects.create(program=world.program, user=world.other_coach)
    return SimpleNamespace(world=world, scheme=scheme)


@pytest.fixture
def world(cpd_world):
    return cpd_world.world
