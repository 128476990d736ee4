"""Reading checklists: the ones a person may see, one checklist whole (items in order with their
answers and evidence counts), who must sign it and whether a person may."""

from dataclasses import dataclass

from django.db.models import QuerySet

from compliance.checklists.models import Attester, ChecklistItem
from compliance.instances.models import (
    ChecklistInstance,
    ItemOutcome,
    ItemResponse,
    PracticeDesignation,
)
from practices.models import PracticeMembership
from psp.accounts.models import PracticeRole
from psp.evidence.models import EvidenceFile
from psp.tenancy.permissions import Capability

EVIDENCE_KIND = "checklist_item"  # the evidence subject kind: an ItemResponse's id


def checklists_in_reach(*, access, capability=Capability.COMPLIANCE_VIEW) -> QuerySet:
    return ChecklistInstance.objects.filter(
        access.practice_filter(capability, "practice_id")
    ).select_related("template", "practice")


def chain_ids(instance: ChecklistInstance) -> list[int]:
    """The instance and the revisions it corrects, newest first (usually one or two)."""
    ids, current = [instance.pk], instance.supersedes_id
    while current:
        ids.append(current)
        current = (
            ChecklistInstance.objects.filter(pk=current)
            .values_list("supersedes_id", flat=True)
            .first()
        )
    return ids


@dataclass
class ItemState:
    item: ChecklistItem
    response: ItemResponse | None
    evidence_count: int  # files on this item in this revision or the ones it corrects

    @property
    def answered(self) -> bool:
        return self.response is not None and self.response.outcome != ItemOutcome.UNANSWERED

    @property
    def evidence_missing(self) -> bool:
        return self.item.evidence_required and self.evidence_count == 0


def item_states(instance: ChecklistInstance) -> list[ItemState]:
    """Every item of the instance's version in order, with its answer and evidence count: four
    queries (items, answers, the correction chain's answers, files) whatever the size."""
    items = list(
        ChecklistItem.objects.filter(version_id=instance.version_id).order_by("position", "pk")
    )
    responses = {row.item_id: row for row in ItemResponse.objects.filter(instance=instance)}
    chain = chain_ids(instance) if instance.supersedes_id else [instance.pk]
    response_items = dict(
        ItemResponse.objects.filter(instance_id__in=chain).values_list("pk", "item_id")
    )
    counts: dict[int, int] = {}
    files = EvidenceFile.objects.filter(
        subject_type=EVIDENCE_KIND,
        subject_id__in=list(response_items),
        removed_at__isnull=True,
    ).values_list("subject_id", flat=True)
    for subject_id in files:
        item_id = response_items[subject_id]
        counts[item_id] = counts.get(item_id, 0) + 1
    return [ItemState(item, responses.get(item.pk), counts.get(item.pk, 0)) for item in items]


def attesters_needed(instance: ChecklistInstance) -> list[str]:
    """The attesting roles the instance's items name, in the order Attester lists them."""
    named = set(
        ChecklistItem.objects.filter(version_id=instance.version_id).values_list(
            "attester", flat=True
        )
    )
    return [value for value in Attester.values if value in named]


def attesters_for(practice_id: int) -> dict[str, set[int]]:
    """Who signs for each attesting role in a practice: the person the practice named for it,
    else its practice leads."""
    leads = set(
        PracticeMembership.objects.filter(
            practice_id=practice_id, role=PracticeRole.LEAD, is_active=True
        ).values_list("user_id", flat=True)
    )
    named = dict(
        PracticeDesignation.objects.filter(practice_id=practice_id).values_list(
            "attester", "user_id"
        )
    )
    return {value: ({named[value]} if value in named else leads) for value in Attester.values}


def may_attest(user, instance: ChecklistInstance, attester: str) -> bool:
    return user.pk in attesters_for(instance.practice_id).get(attester, set())
