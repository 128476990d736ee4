"""Completing a checklist: answers by type, evidence that is required, the sign-off that
freezes it, corrections as new revisions, and the history of each step."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from compliance.instances import services
from compliance.models import (
    Attestation,
    ChecklistInstance,
    ChecklistItem,
    InstanceStatus,
    ItemOutcome,
    PracticeDesignation,
)
from psp.evidence import services as evidence_services
from psp.history.models import ChangeRecord, SubjectType
from psp.tenancy.scope import program_scope
from tests.compliance.helpers import published_checklist
from tests.evidence.subjects import pdf_bytes, upload
from tests.factories import ChecklistInstanceFactory


@pytest.fixture
def checklist(world):
    """A four-item checklist for the world's practice: done, yes/no (no is compliant), date,
    number; the number needs evidence and the privacy officer's signature."""
    template = published_checklist(world.program, items=4)
    with program_scope(world.program):
        items = list(
            ChecklistItem.objects.filter(version=template.current_version).order_by("position")
        )
        items[1].response_type, items[1].yes_is_compliant = "yes_no", False
        items[2].response_type = "date"
        items[3].response_type, items[3].evidence_required = "number", True
        items[3].attester = "privacy_officer"
        for item in items:
            item.save()
        instance = ChecklistInstanceFactory(
            program=world.program, version=template.current_version, practice=world.practice
        )
    return instance, items


def answer(world, instance, item, by=None, **data):
    with program_scope(world.program):
        return services.response_save(
            program=world.program,
            by=by or world.staff,
            instance=instance,
            item_id=item.pk,
            data=data,
        )


def reload(world, instance):
    with program_scope(world.program):
        return ChecklistInstance.objects.get(pk=instance.pk)


def attach_evidence(world, instance, item, by):
    with program_scope(world.program):
        response = services.response_for_evidence(
            program=world.program, by=by, instance=instance, item_id=item.pk
        )
        return evidence_services.evidence_attach(
            program=world.program,
            by=by,
            subject_type="checklist_item",
            subject_id=response.pk,
            practice_id=world.practice.pk,
            upload=upload("fire-log.pdf", pdf_bytes()),
            label="Log or record",
        )


def complete(world, instance, items):
    answer(world, instance, items[0], choice="done")
    answer(world, instance, items[1], choice="no")
    answer(world, instance, items[2], value_date="2026-11-02")
    answer(world, instance, items[3], value_number="12")
    attach_evidence(world, instance, items[3], world.staff)


def test_answers_are_read_by_the_items_type(world, checklist):
    instance, items = checklist
    assert answer(world, instance, items[0], choice="not_done").outcome == ItemOutcome.FAILED
    assert answer(world, instance, items[1], choice="no").outcome == ItemOutcome.MET
    assert answer(world, instance, items[1], choice="yes").outcome == ItemOutcome.FAILED
    dated = answer(world, instance, items[2], value_date="2026-11-02")
    assert (dated.outcome, dated.value_date) == (ItemOutcome.NOTED, date(2026, 11, 2))
    assert answer(world, instance, items[3], value_number="3.5").value_number == Decimal("3.5")
    assert reload(world, instance).status == InstanceStatus.IN_PROGRESS


@pytest.mark.parametrize(
    ("index", "data", "field"),
    [
        (0, {"choice": "maybe"}, "choice"),
        (0, {"choice": "na"}, "na_reason"),
        (2, {"value_date": "02/11/2026"}, "value_date"),
        (3, {"value_number": "twelve"}, "value_number"),
        (3, {"value_number": "NaN"}, "value_number"),
    ],
)
def test_a_bad_answer_is_named_and_changes_nothing(world, checklist, index, data, field):
    instance, items = checklist
    with pytest.raises(ValidationError) as raised:
        answer(world, instance, items[index], **data)
    assert field in raised.value.message_dict
    assert reload(world, instance).status == InstanceStatus.OPEN


def test_not_applicable_needs_its_reason_and_counts_as_answered(world, checklist):
    instance, items = checklist
    row = answer(world, instance, items[0], choice="na", na_reason="We hold no paper records.")
    assert (row.outcome, row.na_reason) == (ItemOutcome.NOT_APPLICABLE, "We hold no paper records.")


def test_an_item_from_another_checklist_is_refused(world, checklist):
    instance, _ = checklist
    other = published_checklist(world.program, items=1)
    with program_scope(world.program):
        foreign = ChecklistItem.objects.get(version=other.current_version)
    with pytest.raises(ValidationError) as raised:
        answer(world, instance, foreign, choice="done")
    assert "item" in raised.value.message_dict


def test_complete_only_with_every_answer_and_the_evidence_asked_for(
    world, checklist, django_capture_on_commit_callbacks
):
    instance, items = checklist
    answer(world, instance, items[0], choice="done")
    answer(world, instance, items[1], choice="no")
    answer(world, instance, items[2], value_date="2026-11-02")
    answer(world, instance, items[3], value_number="12")
    assert reload(world, instance).status == InstanceStatus.IN_PROGRESS  # no evidence yet
    evidence = attach_evidence(world, instance, items[3], world.staff)
    assert reload(world, instance).status == InstanceStatus.COMPLETED
    with program_scope(world.program):
        evidence_services.evidence_remove(program=world.program, by=world.staff, evidence=evidence)
    assert reload(world, instance).status == InstanceStatus.IN_PROGRESS
    # Clearing an answer takes it back too.
    attach_evidence(world, instance, items[3], world.staff)
    answer(world, instance, items[0], choice="")
    assert reload(world, instance).status == InstanceStatus.IN_PROGRESS


def sign(world, instance, by, attester, name="Lee Lead", agreed=True):
    with program_scope(world.program):
        return services.instance_attest(
            program=world.program,
            by=by,
            instance=instance,
            attester=attester,
            signed_name=name,
            agreed=agreed,
        )


def test_each_role_signs_and_the_last_signature_freezes_it(world, checklist):
    instance, items = checklist
    complete(world, instance, items)
    # Nobody named as privacy officer: the lead signs for it too.
    sign(world, instance, world.lead, "lead")
    assert reload(world, instance).status == InstanceStatus.COMPLETED
    signed = sign(world, instance, world.lead, "privacy_officer")
    assert signed.status == InstanceStatus.ATTESTED and signed.attested_at
    with pytest.raises(ValidationError, match="signed off"):
        answer(world, instance, items[0], choice="not_done")
    with program_scope(world.program):
        assert Attestation.objects.filter(instance=instance).count() == 2
        assert "true and complete" in Attestation.objects.first().statement


def test_a_named_officer_signs_for_their_role_and_nobody_else_does(world, checklist):
    instance, items = checklist
    with program_scope(world.program):
        PracticeDesignation.objects.create(
            practice=world.practice, attester="privacy_officer", user=world.staff
        )
    complete(world, instance, items)
    with pytest.raises(ValidationError) as raised:
        sign(world, instance, world.lead, "privacy_officer")
    assert "privacy officer" in raised.value.message_dict["attester"][0]
    with pytest.raises(ValidationError) as raised:
        sign(world, instance, world.staff, "lead")
    assert "attester" in raised.value.message_dict
    sign(world, instance, world.staff, "privacy_officer", name="Sam Staff")


def test_signing_needs_a_completed_checklist_a_name_and_the_statement(world, checklist):
    instance, items = checklist
    with pytest.raises(ValidationError, match="Answer every item"):
        sign(world, instance, world.lead, "lead")
    complete(world, instance, items)
    with pytest.raises(ValidationError) as raised:
        sign(world, instance, world.lead, "lead", name=" ", agreed=False)
    assert set(raised.value.message_dict) == {"signed_name", "agreed"}


def test_a_correction_is_a_new_revision_and_the_signed_one_stays(world, checklist):
    instance, items = checklist
    complete(world, instance, items)
    sign(world, instance, world.lead, "lead")
    sign(world, instance, world.lead, "privacy_officer")
    with pytest.raises(ValidationError), program_scope(world.program):
        services.instance_correct(
            program=world.program, by=world.lead, instance=instance, reason=""
        )
    with program_scope(world.program):
        correction = services.instance_correct(
            program=world.program,
            by=world.lead,
            instance=instance,
            reason="Fire log date was wrong.",
        )
    # Answers copied, and the evidence on the signed revision still counts: complete again.
    assert (correction.revision, correction.status) == (2, InstanceStatus.COMPLETED)
    answer(world, correction, items[2], value_date="2026-11-09")
    old = reload(world, instance)
    assert old.status == InstanceStatus.SUPERSEDED
    with program_scope(world.program):
        assert old.responses.get(item=items[2]).value_date == date(2026, 11, 2)
        assert correction.supersedes_id == instance.pk


def test_every_step_is_a_line_of_the_checklists_history(world, checklist):
    instance, items = checklist
    complete(world, instance, items)
    sign(world, instance, world.lead, "lead")
    with program_scope(world.program):
        lines = list(
            ChangeRecord.objects.filter(subject_type=SubjectType.CHECKLIST, subject_id=instance.pk)
            .order_by("pk")
            .values_list("what", flat=True)
        )
    assert lines.count("item.answered") == 4
    assert "evidence.attached" in lines
    assert (
        lines[-2:] == ["checklist.completed", "checklist.attested"]
        or lines[-1] == "checklist.attested"
    )
