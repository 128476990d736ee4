"""Which checklist is its practice's latest of its template, kept on the row (`is_latest`).

The follow-up overview, its CSV and checklist-status/ show each practice's latest current
checklist of each template: worked out live, that is a search over every checklist of the
program on each request (seconds at 10,000 practices). So the writers keep a flag instead, in
their own transactions: the scheduler flags what it makes when it is newer than the flagged
one, a correction takes the flag from the revision it replaces, and bulk writers (the demo, the
scale generator) call `latest_refresh` when they are done. Completing and signing change a
checklist's status, never which one is latest.

The rule: of a practice's checklists of a template, not replaced by a correction, the one whose
period opened last (the highest id among those opened the same day). The scheduler makes a
period's checklist only once the period has begun, so the latest has always opened.
"""

from django.db import transaction

from compliance.instances.models import ChecklistInstance, InstanceStatus

BATCH = 500  # practices per read, ids per write


def newer(opens_on, pk, than_opens_on, than_pk) -> bool:
    """Whether a checklist opening on `opens_on` with id `pk` comes after the other in the
    rule's order (a checklist not saved yet, pk None, comes after any saved one)."""
    if opens_on != than_opens_on:
        return opens_on > than_opens_on
    return pk is None or (than_pk is not None and pk > than_pk)


def flagged(*, template_ids, practice_ids=None) -> dict[tuple[int, int], tuple]:
    """The flagged latest checklists of these templates (of these practices, or all):
    {(template, practice): (opens_on, id, period key)}. One query, a row per practice and
    template at most."""
    rows = ChecklistInstance.objects.filter(is_latest=True, template_id__in=list(template_ids))
    if practice_ids is not None:
        rows = rows.filter(practice_id__in=list(practice_ids))
    return {
        (template, practice): (opens_on, pk, key)
        for template, practice, opens_on, pk, key in rows.values_list(
            "template_id", "practice_id", "opens_on", "pk", "period_key"
        )
    }


@transaction.atomic
def latest_refresh(*, practice_ids=None) -> int:
    """Flags the latest checklists of these practices (every practice of the program in scope
    when None) from their rows, and clears the flag elsewhere; returns how many flags changed.
    For writers that make or remove checklists in bulk, and for repairs: reads each practice's
    checklists once, in batches."""
    rows = ChecklistInstance.objects.exclude(status=InstanceStatus.SUPERSEDED)
    if practice_ids is None:
        practice_ids = sorted(set(rows.values_list("practice_id", flat=True)))
        stale = ChecklistInstance.objects.filter(is_latest=True)
    else:
        practice_ids = sorted(set(practice_ids))
        stale = ChecklistInstance.objects.filter(is_latest=True, practice_id__in=practice_ids)
    stale = set(stale.values_list("pk", flat=True))
    latest: set[int] = set()
    for start in range(0, len(practice_ids), BATCH):
        best: dict[tuple[int, int], tuple] = {}
        batch = rows.filter(practice_id__in=practice_ids[start : start + BATCH])
        for template_id, practice_id, opens_on, pk in batch.values_list(
            "template_id", "practice_id", "opens_on", "pk"
        ):
            key = (template_id, practice_id)
            if key not in best or newer(opens_on, pk, *best[key]):
                best[key] = (opens_on, pk)
        latest.update(pk for _, pk in best.values())
    for ids, value in ((sorted(stale - latest), False), (sorted(latest - stale), True)):
        for start in range(0, len(ids), BATCH):
            ChecklistInstance.objects.filter(pk__in=ids[start : start + BATCH]).update(
                is_latest=value
            )
    return len(stale ^ latest)
