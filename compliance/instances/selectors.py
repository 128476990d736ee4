"""Reading checklists: the ones a person may see, one checklist whole (items in order with their
answers and evidence counts), who must sign it and whether a person may."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from coaching.plans.models import GoalStatus, PlanGoal, PlanStatus
from compliance.checklists.models import Attester, ChecklistItem
from compliance.instances.models import (
    Attestation,
    ChecklistInstance,
    InstanceStatus,
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


# The pages and the API ----------------------------------------------------------------------

OPEN_STATUSES = (InstanceStatus.OPEN, InstanceStatus.IN_PROGRESS, InstanceStatus.COMPLETED)


def checklist_in_reach(*, access, pk) -> ChecklistInstance:
    """One checklist the person may see, with what its page's header shows; else DoesNotExist,
    the same for a checklist that is missing and one out of reach."""
    return checklists_in_reach(access=access).select_related("supersedes").get(pk=pk)


def correction_of(instance: ChecklistInstance) -> ChecklistInstance | None:
    """The revision correcting a superseded one (None for any other)."""
    if instance.status != InstanceStatus.SUPERSEDED:
        return None
    return ChecklistInstance.objects.filter(supersedes=instance).only("pk", "revision").first()


@dataclass
class ItemRow:
    """An item on its checklist's page: its answer, the files on it in this revision and those
    kept from the revisions it corrects (they count for it too, read-only)."""

    item: ChecklistItem
    response: ItemResponse | None
    files: list
    earlier_files: list

    @property
    def answered(self) -> bool:
        return self.response is not None and self.response.outcome != ItemOutcome.UNANSWERED

    @property
    def failed(self) -> bool:
        return self.response is not None and self.response.outcome == ItemOutcome.FAILED

    @property
    def evidence_count(self) -> int:
        return len(self.files) + len(self.earlier_files)

    @property
    def evidence_missing(self) -> bool:
        return self.item.evidence_required and self.evidence_count == 0


def item_rows(instance: ChecklistInstance) -> list[ItemRow]:
    """Every item of the checklist in order, with its section, answer (who answered, the action
    it became) and files: four queries whatever the size (five for a correction)."""
    items = list(
        ChecklistItem.objects.filter(version_id=instance.version_id)
        .select_related("section")
        .order_by("position", "pk")
    )
    chain = chain_ids(instance) if instance.supersedes_id else [instance.pk]
    answers = ItemResponse.objects.filter(instance_id__in=chain).select_related(
        "answered_by", "action"
    )
    own, item_of = {}, {}
    for row in answers:
        item_of[row.pk] = (row.item_id, row.instance_id == instance.pk)
        if row.instance_id == instance.pk:
            own[row.item_id] = row
    files = EvidenceFile.objects.filter(
        subject_type=EVIDENCE_KIND, subject_id__in=list(item_of), removed_at__isnull=True
    ).select_related("uploaded_by")
    current: dict[int, list] = {}
    earlier: dict[int, list] = {}
    for file in files.order_by("uploaded_at", "pk"):
        item_id, is_own = item_of[file.subject_id]
        (current if is_own else earlier).setdefault(item_id, []).append(file)
    return [
        ItemRow(item, own.get(item.pk), current.get(item.pk, []), earlier.get(item.pk, []))
        for item in items
    ]


@dataclass
class Progress:
    items: int
    answered: int
    evidence_missing: int

    @property
    def text(self) -> str:
        words = f"{self.answered} of {self.items} answered"
        if self.evidence_missing:
            words += f", {self.evidence_missing} needs evidence"
            if self.evidence_missing > 1:
                words = words.replace(" needs evidence", " need evidence")
        return words


def progress_of(rows: list[ItemRow]) -> Progress:
    return Progress(
        items=len(rows),
        answered=sum(row.answered for row in rows),
        evidence_missing=sum(row.evidence_missing for row in rows),
    )


def needed_from(rows: list[ItemRow]) -> list[str]:
    """attesters_needed, from items already read."""
    named = {row.item.attester for row in rows}
    return [value for value in Attester.values if value in named]


def practice_checklists(*, access, practice_id: int) -> dict[str, list]:
    """A practice's checklists for its page: open ones soonest due first, then the signed-off
    ones (newest first, with their signatures), then the revisions corrected since. Two
    queries."""
    rows = list(
        checklists_in_reach(access=access)
        .filter(practice_id=practice_id)
        .prefetch_related(
            Prefetch(
                "attestations",
                queryset=Attestation.objects.select_related("user").order_by("signed_at"),
            )
        )
        .order_by("due_on", "pk")
    )
    done = [row for row in rows if row.status == InstanceStatus.ATTESTED]
    return {
        "open": [row for row in rows if row.status in OPEN_STATUSES],
        "done": sorted(done, key=lambda row: (row.due_on, row.pk), reverse=True),
        "corrected": [row for row in rows if row.status == InstanceStatus.SUPERSEDED][::-1],
    }


def remediation_goals(*, practice_id: int) -> list:
    """The goals a failed item's action may serve: those of the practice's active plan, else of
    its latest draft, with their plan (none: the action stands alone). One query."""
    goals = list(
        PlanGoal.objects.filter(
            plan__practice_id=practice_id,
            plan__status__in=(PlanStatus.ACTIVE, PlanStatus.DRAFT),
        )
        .exclude(status=GoalStatus.DROPPED)
        .select_related("plan")
        .order_by("plan__status", "-plan__created_at", "position", "pk")
    )
    if not goals:
        return []
    plan_id = goals[0].plan_id  # "active" sorts before "draft"; the newest draft first
    return [goal for goal in goals if goal.plan_id == plan_id]
