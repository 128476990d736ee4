"""The demo's checklists (psp/demo/compliance_checklists.py), on templates made here the way the
`compliance_templates` step makes them (assigned to every practice fourteen months ago and
scheduled): done on time and signed off with evidence, late, overdue, due soon, one completed
and waiting for its signature, one failed item turned into an action; seeding again adds
nothing."""

from datetime import UTC, datetime, timedelta

import pytest

from compliance.followup.selectors import program_checklists
from compliance.followup.states import FollowUp, standing_of
from compliance.models import ChecklistItem, InstanceStatus, ItemResponse
from compliance.schedules.services import schedule_instances
from practices.models import Practice
from psp.demo import compliance_checklists
from psp.demo.common import DemoProgram
from psp.evidence.models import EvidenceFile
from psp.history.models import ChangeRecord
from psp.storage import private
from psp.tenancy.scope import program_scope
from tests.compliance.helpers import assign, published_checklist
from tests.factories import MembershipFactory, PracticeFactory, PracticeMembershipFactory

pytestmark = pytest.mark.django_db

# Eleven days before the month's checklists are due (month ends): some are due soon.
NOW = datetime(2026, 12, 20, 15, tzinfo=UTC)


def templates(program):
    records = published_checklist(
        program, items=3, key="records", name="Monthly records check", recurrence="monthly"
    )
    privacy = published_checklist(program, items=4, key="privacy", name="Annual privacy review")
    ipc = published_checklist(
        program, items=3, key="ipc", name="Infection control audit", recurrence="quarterly"
    )
    with program_scope(program):
        ChecklistItem.objects.filter(version__template=records, position=0).update(
            evidence_required=True
        )
        ChecklistItem.objects.filter(version__template=privacy, position=1).update(
            response_type="yes_no"
        )
        ChecklistItem.objects.filter(version__template=ipc, position=2).update(response_type="date")
    return records, privacy, ipc


@pytest.fixture
def seeded_checklists(world, django_capture_on_commit_callbacks):
    program = world.program
    today = NOW.date()
    started = today - timedelta(days=430)
    Practice.all_programs.filter(program=program).update(enrolled_on=started)
    for number in range(5):
        practice = PracticeFactory(program=program, name=f"Practice {number}", enrolled_on=started)
        lead = MembershipFactory(program=program, role="practice").user
        PracticeMembershipFactory(program=program, practice=practice, user=lead, role="lead")
    for template in templates(program):
        assign(template, starts_on=started)
    with program_scope(program):
        assert schedule_instances(program=program, today=today) > 100
    demo = DemoProgram(program=program, now=NOW, password_hash="")
    with program_scope(program), django_capture_on_commit_callbacks(execute=True):
        compliance_checklists.build(demo)
    return world, demo, today


def test_checklists_stand_in_every_state(seeded_checklists):
    world, _, today = seeded_checklists
    with program_scope(world.program):
        states = {standing_of(i, today).state for i in program_checklists()}
        awaiting = program_checklists().filter(status=InstanceStatus.COMPLETED, due_on__gte=today)
        assert awaiting.count() == 1
    assert set(FollowUp.values) - {FollowUp.NOT_DUE} <= states


def test_signed_checklists_are_complete_with_evidence_and_history(seeded_checklists):
    world, _, _ = seeded_checklists
    with program_scope(world.program):
        signed = program_checklists().filter(status=InstanceStatus.ATTESTED)
        assert signed.count() > 30
        for instance in signed.select_related("template"):
            answers = ItemResponse.objects.filter(instance=instance).exclude(outcome="")
            assert (
                answers.count()
                == ChecklistItem.objects.filter(version_id=instance.version_id).count()
            )
            assert instance.attestations.exists() and instance.attested_at
            assert ChangeRecord.objects.filter(
                subject_type="checklist", subject_id=instance.pk, what="checklist.attested"
            ).exists()
        files = EvidenceFile.objects.filter(subject_type="checklist_item")
        assert files.count() >= signed.filter(template__key="records").count()
        sample = files.first()
        with private.open(sample.file.name) as stored:
            assert stored.read(5) == b"%PDF-"


def test_one_failed_item_became_an_open_action(seeded_checklists):
    world, _, _ = seeded_checklists
    with program_scope(world.program):
        failed = ItemResponse.objects.filter(outcome="failed", action__isnull=False)
        (response,) = failed.select_related("action", "instance")
        assert response.action.practice_id == response.instance.practice_id
        assert response.action.status == "open" and response.note
        assert response.instance.status == InstanceStatus.ATTESTED


def test_seeding_again_adds_nothing(seeded_checklists):
    world, demo, _ = seeded_checklists
    with program_scope(world.program):
        before = (ItemResponse.objects.count(), EvidenceFile.objects.count())
        again = DemoProgram(program=world.program, now=demo.now, password_hash="")
        compliance_checklists.build(again)
        assert (ItemResponse.objects.count(), EvidenceFile.objects.count()) == before
