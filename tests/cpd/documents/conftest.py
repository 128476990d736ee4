"""Fixtures for the CPD transcript and certificate tests: the persona world with a one-year
scheme (12 credits a calendar year, 2 of them ethics) for practice leads and staff; the staff
member's last cycle met (with a verified activity that has its evidence), this year's not yet."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cpd.models import CpdActivity
from psp.tenancy.scope import program_scope
from tests.cpd.scheme_factories import make_activity, make_cycle, make_scheme
from tests.evidence.subjects import pdf_bytes
from tests.shared_data import shared_fixture

RULES = {
    "unit": "credits",
    "cycle": {"years": 1, "start": "fixed", "fixed_month": 1, "fixed_day": 1},
    "required": {"total": 12, "per_year": None},
    "categories": [
        {"key": "ethics", "name": "Ethics and professionalism", "minimum": 2},
        {"key": "general", "name": "General", "minimum": 0},
    ],
    "credit_rules": [
        {"activity_type": "course", "per": "hour", "rate": 1, "category": "general"},
        {"activity_type": "workshop", "per": "hour", "rate": 1, "category": "general"},
    ],
    "carry_over": None,
}
THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1
MET_TITLE = "Conflicts of interest in small practices"


def _attach(world, activity, name: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cpd.activities.evidence import CODE
    from psp.evidence.services import evidence_attach

    with program_scope(world.program):
        evidence_attach(
            program=world.program,
            by=activity.person,
            subject_type=CODE,
            subject_id=activity.pk,
            practice_id=world.practice.pk,
            upload=SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf"),
            label="Certificate",
        )


@shared_fixture
def documents_world():
    from tests.conftest import build_world

    world = build_world("north-psp", "North PSP")
    scheme = make_scheme(world.program, RULES, code="annual", name="Annual CPD")
    staff = world.staff
    met = make_cycle(scheme, staff, date(LAST_YEAR, 1, 1), date(LAST_YEAR, 12, 31))
    ethics = make_activity(met, date(LAST_YEAR, 3, 10), 3, category="ethics")
    make_activity(met, date(LAST_YEAR, 9, 20), 10, category="general", activity_type="course")
    with program_scope(world.program):
        CpdActivity.objects.filter(pk=ethics.pk).update(
            title=MET_TITLE,
            provider="Law society",
            verified_by=world.admin,
            verified_at=timezone.now() - timedelta(days=300),
        )
    current = make_cycle(scheme, staff, date(THIS_YEAR, 1, 1), date(THIS_YEAR, 12, 31))
    make_activity(current, date(THIS_YEAR, 1, 15), 3, category="general", status="self_reported")
    with program_scope(world.program):  # recorded while in their practice, as the service does
        CpdActivity.objects.filter(person=staff).update(practice=world.practice)
    lead_cycle = make_cycle(scheme, world.lead, date(THIS_YEAR, 1, 1), date(THIS_YEAR, 12, 31))
    return SimpleNamespace(
        world=world, scheme=scheme, met=met, current=current, lead_cycle=lead_cycle, ethics=ethics
    )


@pytest.fixture
def docs(documents_world):
    _attach(documents_world.world, documents_world.ethics, "ethics-certificate.pdf")
    return documents_world


@pytest.fixture
def world(docs):
    return docs.world
