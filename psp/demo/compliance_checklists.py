"""Demo checklists: the instances the scheduler made for the packs `compliance_templates` assigned
(about fourteen months of them) are filled in as practices would have.

Most past checklists were answered before their due date and signed off on time, with an
evidence file (a small real PDF) on each item that asks for one; some were signed off late, some
recent ones are overdue (never finished, or finished and not signed), those due in the next two
weeks are not started or under way. In each program one checklist due soon is completed and waits
for its signature, and one recent one had an item that failed, turned into an action in the
practice's plan. A practice that struggles (every fourth) is late and overdue more often.

The featured checklists (the latest of each template at the first practice, the one awaiting
sign-off, the one with the failed item) go through the compliance services, so their history is
the one people make; the rest are written in bulk with the same rows and lines (answers, files,
signatures, history), which keeps seeding fast. Times are set back to when things happened.
Seeding again adds nothing: only checklists nobody touched (open, no answer) are filled, and a
checklist's fate depends only on its practice, template, period and today's date.
"""

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from compliance.checklists.models import ChecklistItem, ResponseType
from compliance.instances import selectors as instance_selectors
from compliance.instances import services
from compliance.instances.answers import read_answer
from compliance.instances.models import (
    Attestation,
    ChecklistInstance,
    InstanceStatus,
    ItemResponse,
)
from compliance.instances.selectors import EVIDENCE_KIND
from practices.models import PracticeMembership
from psp.accounts.models import PracticeRole
from psp.demo.common import DemoProgram, one_page_pdf
from psp.evidence.models import EvidenceFile, evidence_path
from psp.evidence.services import evidence_attach
from psp.history.models import ChangeRecord, RecordType, SubjectType
from psp.history.services import change_line
from psp.storage import private

DUE_SOON = 14
RECENT = 45  # days: a checklist due this recently may still be overdue
NOTES = {
    ResponseType.TEXT: "Reviewed at the team meeting; nothing to change.",
    ResponseType.NUMBER: "4",
}
FAILED_NOTE = "The log was not kept for three weeks in the summer."
ACTION_TITLE = "Restart the weekly log and check it at each team meeting"


@dataclass
class Crew:
    """Who answers and signs a practice's checklists."""

    answerers: list
    leads: list


def build(demo: DemoProgram) -> None:
    # Times of day are the program's: a sign-off at 16:00 is 16:00 where the practice is.
    with timezone.override(demo.program.zone):
        _build(demo)


def _build(demo: DemoProgram) -> None:
    today = demo.now.astimezone(demo.program.zone).date()
    untouched = list(
        ChecklistInstance.objects.filter(
            status=InstanceStatus.OPEN, revision=1, opens_on__lte=today
        )
        .filter(responses__isnull=True)
        .select_related("template", "practice")
        .order_by("practice__name", "template__name", "due_on", "pk")
    )
    if not untouched:
        return
    crews = _crews({i.practice_id for i in untouched})
    items = _items({i.version_id for i in untouched})
    # The featured ones are chosen once, in a program nobody has answered a checklist of yet:
    # seeding again must not make a second one awaiting sign-off, or fill one left overdue.
    first_run = not ItemResponse.objects.exists()
    featured = _featured(untouched, crews, today) if first_run else {}
    writer = BulkWriter(demo, items, today)
    featured_ids = {instance.pk for instance in featured.values()}
    for instance in untouched:
        crew = crews.get(instance.practice_id)
        if crew is None or instance.pk in featured_ids:
            continue
        fate = _fate(instance, today)
        if fate in ("on_time", "late"):
            writer.signed(instance, crew, late=fate == "late")
        elif fate == "started":
            writer.started(instance, crew)
        elif fate == "unsigned":
            writer.completed(instance, crew)
    writer.save()
    for role, instance in featured.items():
        Featured(demo, items, crews[instance.practice_id], today).run(role, instance)


def _crews(practice_ids) -> dict[int, Crew]:
    """Practices with at least one lead (someone must be able to sign)."""
    people: dict[int, Crew] = defaultdict(lambda: Crew([], []))
    rows = PracticeMembership.objects.filter(
        practice_id__in=practice_ids, is_active=True
    ).select_related("user")
    for membership in rows.order_by("role", "user_id"):
        crew = people[membership.practice_id]
        crew.answerers.append(membership.user)
        if membership.role == PracticeRole.LEAD:
            crew.leads.append(membership.user)
    return {pk: crew for pk, crew in people.items() if crew.leads}


def _items(version_ids) -> dict[int, list[ChecklistItem]]:
    found = defaultdict(list)
    for item in ChecklistItem.objects.filter(version_id__in=version_ids).order_by("position", "pk"):
        found[item.version_id].append(item)
    return found


def _rng(instance) -> random.Random:
    return random.Random(f"{instance.practice.name}:{instance.template.key}:{instance.period_key}")


def _fate(instance, today: date) -> str:
    """on_time, late, unsigned (completed, not signed), started, or open (left as it is)."""
    left = (instance.due_on - today).days
    if left > DUE_SOON:
        return "open"
    roll = _rng(instance).random()
    if left >= 0:
        return "started" if roll < 0.4 else "open"
    struggling = instance.practice_id % 4 == 3
    if -left <= RECENT:
        cuts = (0.45, 0.65, 0.8) if struggling else (0.65, 0.8, 0.9)
    else:
        cuts = (0.7, 0.97, 0.98) if struggling else (0.88, 0.995, 0.996)
    on_time, late, unsigned = cuts
    if roll < on_time:
        return "on_time"
    if roll < late and -left > 2:
        return "late"
    return "unsigned" if roll < unsigned else ("started" if roll < 0.99 else "open")


def _featured(untouched, crews, today) -> dict[str, ChecklistInstance]:
    """The checklists filled through the services: the latest past one of each template at the
    first practice with a crew, one due soon to be completed and left unsigned, and a recent one
    at the second practice whose failed item becomes an action."""
    practices = sorted({i.practice_id for i in untouched if i.practice_id in crews})
    if not practices:
        return {}
    first = [i for i in untouched if i.practice_id == practices[0]]
    chosen: dict[str, ChecklistInstance] = {}
    for instance in first:
        if (today - instance.due_on).days > RECENT or instance.due_on >= today:
            continue
        chosen.setdefault(f"signed:{instance.template_id}", instance)
    ahead = sorted(
        (i for i in untouched if i.practice_id in crews and i.due_on > today),
        key=lambda i: (i.due_on, i.practice.name, i.pk),
    )
    if ahead:  # the soonest due: within the two weeks when the schedule has one there
        chosen["awaiting"] = ahead[0]
    second = practices[1] if len(practices) > 1 else practices[0]
    failing = [
        i
        for i in untouched
        if i.practice_id == second
        and 5 < (today - i.due_on).days <= RECENT
        and i not in chosen.values()
    ]
    if failing:
        chosen["failed"] = failing[0]
    # One left overdue whatever the dice say: begun at the last practice, never finished.
    last = [
        i
        for i in untouched
        if i.practice_id == practices[-1]
        and 0 < (today - i.due_on).days <= RECENT
        and i not in chosen.values()
    ]
    if last:
        chosen["overdue"] = last[-1]
    return {role: instance for role, instance in chosen.items()}


def _moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _answer(item: ChecklistItem, day: date, *, fail: bool = False) -> dict:
    """What a practice person sends for `item` (a compliant answer unless `fail`)."""
    if item.response_type == ResponseType.DONE:
        return {"choice": "not_done" if fail else "done"}
    if item.response_type == ResponseType.YES_NO:
        compliant = "yes" if item.yes_is_compliant else "no"
        other = "no" if compliant == "yes" else "yes"
        return {"choice": other if fail else compliant}
    if item.response_type == ResponseType.DATE:
        return {"value_date": day - timedelta(days=20)}
    if item.response_type == ResponseType.NUMBER:
        return {"value_number": NOTES[ResponseType.NUMBER]}
    return {"value_text": NOTES[ResponseType.TEXT]}


def _evidence_bytes(instance, item, day: date) -> tuple[str, bytes]:
    lines = [
        instance.template.name,
        instance.practice.name,
        f"{instance.period_label}: {item.text[:70]}",
        f"Checked on {day.isoformat()}",
    ]
    return f"{item.key}-{day.isoformat()}.pdf", one_page_pdf(lines)


class BulkWriter:
    """Answers, files, signatures and history lines for many checklists, inserted in bulk."""

    def __init__(self, demo, items, today):
        self.demo, self.items, self.today = demo, items, today
        self.program = demo.program
        self.responses, self.files, self.lines, self.signatures = [], [], [], []
        self.moves: dict[str, list] = defaultdict(list)  # status -> [(instance, done, signed)]
        self.stored: list[tuple[str, bytes]] = []

    def _answered(self, instance, crew, day, *, every=True):
        rng = _rng(instance)
        items = self.items[instance.version_id]
        for index, item in enumerate(items):
            if not every and index >= len(items) // 2:
                break  # half of them, so the checklist is under way and not complete
            answer = read_answer(item, _answer(item, day))
            by = rng.choice(crew.answerers)
            self.responses.append(
                ItemResponse(
                    program=self.program, instance=instance, item=item, outcome=answer.outcome,
                    answered_at=_moment(day, 9), answered_by=by,
                    **{f: getattr(answer, f) for f in services.ANSWER_FIELDS},
                )
            )  # fmt: skip
            if every and item.evidence_required:
                self.stored.append(_evidence_bytes(instance, item, day))
                self.files.append((instance, item, by, day, self.stored[-1]))

    def signed(self, instance, crew, *, late: bool):
        rng = _rng(instance)
        day = (
            instance.due_on + timedelta(days=rng.randint(3, 24))
            if late
            else instance.due_on - timedelta(days=rng.randint(0, 12))
        )
        day = min(max(day, instance.opens_on), self.today - timedelta(days=1))
        self._answered(instance, crew, day)
        roles = sorted({item.attester for item in self.items[instance.version_id]})
        lead = crew.leads[0]
        for role in roles:
            self.signatures.append(
                Attestation(
                    program=self.program, instance=instance, attester=role, user=lead,
                    signed_name=lead.full_name or lead.email, statement=services.STATEMENT,
                    signed_on=day, signed_at=_moment(day, 16),
                )
            )  # fmt: skip
        self._line(instance, "checklist.completed", "Every item answered: ready to sign off.",
                   lead, _moment(day, 11))  # fmt: skip
        self._line(instance, "checklist.attested",
                   f"Signed by {lead.full_name or lead.email} as practice lead.", lead,
                   _moment(day, 16))  # fmt: skip
        self.moves[InstanceStatus.ATTESTED].append((instance, day, day))

    def completed(self, instance, crew):
        day = min(instance.due_on + timedelta(days=2), self.today - timedelta(days=1))
        self._answered(instance, crew, day)
        self._line(instance, "checklist.completed", "Every item answered: ready to sign off.",
                   crew.answerers[0], _moment(day, 11))  # fmt: skip
        self.moves[InstanceStatus.COMPLETED].append((instance, day, None))

    def started(self, instance, crew):
        if len(self.items[instance.version_id]) < 2:
            return  # one item answered is a completed checklist: left not started
        day = max(instance.opens_on, self.today - timedelta(days=3))
        self._answered(instance, crew, min(day, self.today), every=False)
        self.moves[InstanceStatus.IN_PROGRESS].append((instance, None, None))

    def _line(self, instance, what, summary, by, when):
        line = change_line(
            program=self.program, practice=instance.practice_id,
            subject_type=SubjectType.CHECKLIST, subject_id=instance.pk, what=what,
            summary=summary, by=by,
        )  # fmt: skip
        line.changed_at = when
        self.lines.append(line)

    def save(self):
        ItemResponse.objects.bulk_create(self.responses, batch_size=500)
        self._save_files()
        Attestation.objects.bulk_create(self.signatures, batch_size=500)
        ChangeRecord.objects.bulk_create(self.lines, batch_size=500)
        for status, moves in self.moves.items():
            for instance, done, signed in moves:
                instance.status = status
                instance.completed_at = done and _moment(done, 11)
                instance.attested_at = signed and _moment(signed, 16)
                instance.signed_on = signed  # kept on the row as the sign-off service does
            ChecklistInstance.objects.bulk_update(
                [m[0] for m in moves],
                ["status", "completed_at", "attested_at", "signed_on"],
                batch_size=500,
            )
        self.demo.created["checklists filled in"] += sum(len(m) for m in self.moves.values())
        self.demo.created["checklist evidence files"] += len(self.files)

    def _save_files(self):
        """Evidence rows for the answers just made, and their bytes once the seed commits (as
        the evidence service does: a rollback leaves no file)."""
        response_of = {(r.instance_id, r.item_id): r.pk for r in self.responses}
        rows, lines, payloads = [], [], []
        for instance, item, by, day, (name, data) in self.files:
            row = EvidenceFile(
                program=self.program, subject_type=EVIDENCE_KIND,
                subject_id=response_of[instance.pk, item.pk], practice_id=instance.practice_id,
                original_name=name, content_type="application/pdf", size=len(data),
                sha256=_sha256(data), label="Log or record", uploaded_by=by,
                uploaded_at=_moment(day, 9),
            )  # fmt: skip
            row.file.name = evidence_path(self.program.pk, name)
            rows.append(row)
            payloads.append((row.file.name, data))
        EvidenceFile.objects.bulk_create(rows, batch_size=500)
        for row, (instance, _item, by, day, _) in zip(rows, self.files, strict=True):
            line = change_line(
                program=self.program, practice=instance.practice_id,
                subject_type=SubjectType.CHECKLIST, subject_id=instance.pk,
                record_type=RecordType.EVIDENCE, record_id=row.pk, what="evidence.attached",
                summary=f"Attached evidence: {row.original_name} (Log or record)", by=by,
            )  # fmt: skip
            line.changed_at = _moment(day, 9)
            lines.append(line)
        ChangeRecord.objects.bulk_create(lines, batch_size=500)
        transaction.on_commit(lambda: [private.save(n, ContentFile(d)) for n, d in payloads])


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Featured:
    """A checklist filled through the compliance services, then set back to when it happened."""

    def __init__(self, demo, items, crew, today):
        self.demo, self.items, self.crew, self.today = demo, items, crew, today
        self.program = demo.program

    def run(self, role: str, instance) -> None:
        if role == "awaiting":
            day = self.today - timedelta(days=1)
            self._answer_all(instance, day)
        elif role == "overdue":
            day = instance.due_on - timedelta(days=2)
            item = self.items[instance.version_id][0]
            services.response_save(
                program=self.program,
                by=self.crew.leads[0],
                instance=instance,
                item_id=item.pk,
                data=_answer(item, day),
            )
        else:
            day = instance.due_on - timedelta(days=3 if role == "failed" else 1)
            day = min(max(day, instance.opens_on), self.today - timedelta(days=1))
            failed = self._answer_all(instance, day, fail_first=role == "failed")
            self._sign(instance, day)
            if failed is not None:
                self._action(instance, failed, day)
        self._back_date(instance, day)
        self.demo.created["checklists filled in (through the services)"] += 1

    def _answer_all(self, instance, day, *, fail_first=False):
        failed = None
        lead = self.crew.leads[0]
        for item in self.items[instance.version_id]:
            fail = fail_first and failed is None and item.response_type in (
                ResponseType.DONE, ResponseType.YES_NO
            )  # fmt: skip
            data = _answer(item, day, fail=fail) | ({"note": FAILED_NOTE} if fail else {})
            response = services.response_save(
                program=self.program, by=lead, instance=instance, item_id=item.pk, data=data
            )
            if fail:
                failed = response
            if item.evidence_required:
                name, payload = _evidence_bytes(instance, item, day)
                evidence_attach(
                    program=self.program, by=lead, subject_type=EVIDENCE_KIND,
                    subject_id=response.pk, practice_id=instance.practice_id,
                    upload=SimpleUploadedFile(name, payload, content_type="application/pdf"),
                    label="Log or record",
                )  # fmt: skip
        return failed

    def _sign(self, instance, day):
        lead = self.crew.leads[0]
        current = ChecklistInstance.objects.get(pk=instance.pk)
        for role in instance_selectors.attesters_needed(current):
            if instance_selectors.may_attest(lead, current, role):
                current = services.instance_attest(
                    program=self.program, by=lead, instance=current, attester=role,
                    signed_name=lead.full_name or lead.email, agreed=True,
                )  # fmt: skip

    def _action(self, instance, response, day):
        """The failed item's remediation, through the service a person's click goes through:
        an action of the practice's current plan (its first goal) or standing alone, owned by
        its lead and linked both ways."""
        lead = self.crew.leads[0]
        goals = instance_selectors.remediation_goals(practice_id=instance.practice_id)
        services.response_action_create(
            program=self.program, by=lead, instance=ChecklistInstance.objects.get(pk=instance.pk),
            item_id=response.item_id, title=ACTION_TITLE, owner=lead,
            due_on=self.today + timedelta(days=21), goal=goals[0] if goals else None,
        )  # fmt: skip
        self.demo.created["actions from failed checklist items"] += 1

    def _back_date(self, instance, day):
        ItemResponse.objects.filter(instance=instance).update(answered_at=_moment(day, 9))
        Attestation.objects.filter(instance=instance).update(
            signed_on=day, signed_at=_moment(day, 16)
        )
        current = ChecklistInstance.objects.get(pk=instance.pk)
        ChecklistInstance.objects.filter(pk=instance.pk).update(
            completed_at=current.completed_at and _moment(day, 11),
            attested_at=current.attested_at and _moment(day, 16),
            signed_on=current.signed_on and day,
        )
        EvidenceFile.objects.filter(
            subject_type=EVIDENCE_KIND,
            subject_id__in=ItemResponse.objects.filter(instance=instance).values("pk"),
        ).update(uploaded_at=_moment(day, 9))
        ChangeRecord.objects.filter(
            subject_type=SubjectType.CHECKLIST, subject_id=instance.pk
        ).update(changed_at=_moment(day, 12))
