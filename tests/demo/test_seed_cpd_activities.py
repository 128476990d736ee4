"""The demo's CPD activities: in each program, two years of them for the people a scheme applies
to, in every status, a queue waiting for the verifier, one rejection with its reason, a request
for evidence, people ahead of and behind their scheme's pace, and a PSP workshop whose
attendees have drafts to confirm."""

from collections import defaultdict
from datetime import timedelta

import pytest
from django.db.models import Min
from django.utils import timezone

from cpd.models import COUNTED, ClaimSource, CpdActivity, CpdOffering
from cpd.schemes.rules import Rules
from psp.demo.programs import LEGAL, NORTHERN
from psp.evidence.models import EvidenceFile
from psp.history.models import ChangeRecord, SubjectType
from psp.tenancy.models import Program
from psp.tenancy.scope import program_scope
from tests.demo.conftest import seed


@pytest.fixture(params=[NORTHERN, LEGAL])
def in_demo(request, seeded):
    program = Program.objects.get(slug=request.param)
    with program_scope(program):
        yield program


def test_two_years_of_activities_in_every_status(in_demo):
    activities = CpdActivity.objects.all()
    statuses = set(activities.values_list("status", flat=True))

    assert statuses == {"draft", "self_reported", "submitted", "verified", "rejected"}
    first = activities.aggregate(first=Min("ended_on"))["first"]
    assert first <= timezone.localdate() - timedelta(days=700)
    assert activities.filter(cycle__isnull=True).count() == 0
    rejected = activities.get(status="rejected")
    assert "correct them and send it again" in rejected.rejection_reason
    assert activities.filter(status="submitted").exclude(evidence_requested="").count() == 1


def test_the_queue_waits_with_recent_activities_and_decisions_were_made_by_verifiers(in_demo):
    waiting = CpdActivity.objects.filter(status="submitted")
    verified = CpdActivity.objects.filter(status="verified").select_related("verified_by")

    assert waiting.count() >= 5
    assert all((timezone.localdate() - a.ended_on).days < 60 for a in waiting)
    assert {a.verified_by_id for a in verified} and all(
        a.verified_by_id != a.person_id for a in verified
    )
    assert all(a.verified_at.date() > a.ended_on for a in verified)


def test_some_people_are_ahead_of_their_schemes_pace_and_some_behind(in_demo):
    earned = defaultdict(lambda: 0)
    yearly = {}
    for activity in CpdActivity.objects.filter(status__in=COUNTED).select_related("cycle__version"):
        if (timezone.localdate() - activity.ended_on).days <= 365:
            earned[activity.person_id] += activity.credits
        rules = Rules.parse(activity.cycle.version.rules)
        yearly[activity.person_id] = rules.total / rules.cycle.years

    ratios = [earned[person] / yearly[person] for person in yearly]
    assert max(ratios) > 1.1 and min(ratios) < 0.7


def test_a_psp_workshop_left_drafts_to_confirm(in_demo):
    workshop = CpdOffering.objects.get(title__startswith="PSP workshop")
    drafts = CpdActivity.objects.filter(offering=workshop)

    assert drafts.filter(status="draft").count() >= 3
    assert drafts.exclude(status="draft").count() == 2
    assert set(drafts.values_list("source", flat=True)) == {ClaimSource.OFFERING}


def test_half_the_activities_carry_a_certificate(in_demo):
    certificates = EvidenceFile.objects.filter(subject_type="cpd_activity")
    with_files = set(certificates.values_list("subject_id", flat=True))
    recorded = CpdActivity.objects.filter(offering__isnull=True)

    assert len(with_files) >= recorded.count() // 3
    assert set(certificates.values_list("content_type", flat=True)) == {"application/pdf"}
    verified = set(recorded.filter(status="verified").values_list("pk", flat=True))
    assert with_files & verified


def test_every_activity_has_its_history(in_demo):
    ids = set(CpdActivity.objects.values_list("pk", flat=True))
    filed = set(
        ChangeRecord.objects.filter(subject_type=SubjectType.CPD_ACTIVITY).values_list(
            "subject_id", flat=True
        )
    )
    assert ids <= filed


def test_seeding_again_adds_no_activity_twice(seeded):
    def counts():
        totals = {}
        for program in Program.objects.filter(slug__in=[NORTHERN, LEGAL]):
            with program_scope(program):
                totals[program.slug] = (
                    CpdActivity.objects.count(),
                    CpdOffering.objects.count(),
                )
        return totals

    before = counts()
    seed()
    assert counts() == before
