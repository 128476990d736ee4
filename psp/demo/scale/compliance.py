"""Compliance checklists at scale: the packs that suit the program's sectors, loaded and published
as an admin would; one program-wide assignment per template from the start of the two years (a
sector's template to that sector's practices); and every practice's checklists over the two
years as the scheduler makes them (compliance/schedules/recurrence.py's periods), filled in.

Past checklists were mostly answered and signed off by the practice lead before their due date;
some late, some completed and never signed, a few begun and left, some overdue and not started
(every fourth practice struggles and is late and overdue more often); a few signed ones have an
item that failed. Of those due in the next two weeks some are under way. Each checklist keeps
the models' invariants: its status, completion and sign-off times, revision 1, and a signature
for every attesting role its items name (the lead signs for each: the scale practices name
nobody else). The two templates the demo leaves to an admin's choice (a one-practice audit and
the retention review) stay unassigned here too. No evidence files and no history lines.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from compliance.checklists.models import (
    Attester,
    ChecklistItem,
    Recurrence,
    RecurrenceEvent,
    ResponseType,
)
from compliance.checklists.packs import available_packs
from compliance.checklists.packs.services import pack_load
from compliance.instances.answers import read_answer
from compliance.instances.models import Attestation, ChecklistInstance, InstanceStatus, ItemResponse
from compliance.instances.services import ANSWER_FIELDS, STATEMENT
from compliance.schedules.models import ChecklistAssignment
from compliance.schedules.recurrence import calendar_periods, event_period, once_period
from practices.models import Practice, Stage, StageChange
from psp.demo.scale.context import ScaleContext, at
from psp.demo.scale.writer import Table

UNASSIGNED = ("consent-file-audit", "records-retention-review")
DUE_SOON = 14  # days: a checklist due this soon may be under way
RECENT = 45  # days: a checklist due this recently is more often still unfinished
FAILED_NOTE = "Not done this period: the log was not kept for three weeks."
# Cumulative odds of a past checklist's fate: signed on time, signed late, completed and not
# signed, begun and left; the rest overdue and not started. By (struggling, due recently).
FATES = {
    (False, False): (0.86, 0.955, 0.965, 0.975),
    (False, True): (0.65, 0.8, 0.88, 0.93),
    (True, False): (0.65, 0.85, 0.89, 0.92),
    (True, True): (0.45, 0.65, 0.78, 0.88),
}
FAILED_ODDS = 0.04  # of the answered ones, those with one item not met


@dataclass
class ComplianceSetup:
    assignments: list = field(default_factory=list)  # with their templates
    items: dict = field(default_factory=dict)  # version id -> its items in order
    attesters: dict = field(default_factory=dict)  # version id -> the roles signing it
    lead_names: dict = field(default_factory=dict)  # lead's id -> the name they sign with
    instances: Table = None
    responses: Table = None
    signatures: Table = None


def compliance_setup(ctx: ScaleContext) -> ComplianceSetup:
    """Load and publish the packs suiting the practices' sectors and assign their templates."""
    program, manager = ctx.program, ctx.people.manager
    sectors = set(Practice.objects.values_list("sector", flat=True).distinct())
    keys = [pack.key for pack in available_packs() if pack.suits(sectors)]
    made = pack_load(program=program, pack_keys=keys, by=manager).made
    ctx.counts["checklist templates"] += len(made)
    assignments = [
        ChecklistAssignment(
            program=program,
            template=template,
            sector=template.sector,
            starts_on=ctx.spec.start,
            # As the daily scheduler leaves it, having made every period up to today.
            scheduled_through=ctx.spec.today,
            created_at=at(ctx.spec.start, 9),
            created_by=manager,
        )
        for template in sorted(made, key=lambda t: t.key)
        if template.key not in UNASSIGNED
    ]
    ChecklistAssignment.objects.bulk_create(assignments)
    ctx.counts["checklist assignments"] += len(assignments)
    setup = ComplianceSetup(assignments=assignments)
    setup.lead_names = {lead.pk: lead.full_name or lead.email for lead in ctx.people.leads}
    versions = [a.template.current_version_id for a in assignments]
    for item in ChecklistItem.objects.filter(version_id__in=versions).order_by("position", "pk"):
        setup.items.setdefault(item.version_id, []).append(item)
    for version_id, items in setup.items.items():
        named = {item.attester for item in items}
        setup.attesters[version_id] = [value for value in Attester.values if value in named]
    setup.instances = Table(
        ChecklistInstance,
        [
            "template_id",
            "version_id",
            "practice_id",
            "assignment_id",
            "period_key",
            "period_label",
            "opens_on",
            "due_on",
            "status",
            "completed_at",
            "attested_at",
            "created_at",
            "signed_on",
            "is_latest",
        ],
        copy=True,
    )
    setup.responses = Table(
        ItemResponse,
        ["instance_id", "item_id", *ANSWER_FIELDS, "outcome", "answered_at", "answered_by_id"],
        copy=True,
    )
    setup.signatures = Table(
        Attestation,
        [
            "instance_id",
            "attester",
            "user_id",
            "signed_name",
            "statement",
            "signed_on",
            "signed_at",
        ],
        copy=True,
    )
    return setup


def compliance_build(ctx: ScaleContext, setup: ComplianceSetup, chunk: range) -> None:
    """The chunk's practices' checklists of every period begun, with their answers and
    signatures."""
    if not setup.assignments:
        return
    ids = [ctx.practice_ids[i] for i in chunk]
    practices = {
        pk: (sector, enrolled)
        for pk, sector, enrolled in Practice.objects.filter(pk__in=ids).values_list(
            "pk", "sector", "enrolled_on"
        )
    }
    moves = _stage_moves(setup, ids)
    writer = _Writer(ctx, setup)
    for i in chunk:
        practice_id = ctx.practice_ids[i]
        sector, enrolled = practices[practice_id]
        rng = ctx.spec.rng("compliance", i)
        struggling = i % 4 == 3
        for assignment in setup.assignments:
            if assignment.sector and assignment.sector != sector:
                continue
            for period in _periods(ctx, assignment, enrolled, moves.get(practice_id, ())):
                writer.instance(i, practice_id, assignment, period, rng, struggling)
    writer.save()


def _stage_moves(setup, practice_ids) -> dict:
    """The moves the stage-move templates follow, by practice: (change id, day moved)."""
    stages = {
        a.template.event_stage
        for a in setup.assignments
        if a.template.recurrence == Recurrence.AFTER_EVENT
        and a.template.event == RecurrenceEvent.STAGE_MOVE
    }
    if not stages:
        return {}
    found = defaultdict(list)
    rows = StageChange.objects.filter(practice_id__in=practice_ids).order_by("moved_at", "pk")
    for pk, practice_id, to_stage, moved_at in rows.values_list(
        "pk", "practice_id", "to_stage", "moved_at"
    ):
        if "" in stages or to_stage in stages:
            found[practice_id].append((pk, to_stage, moved_at.date()))  # the program keeps UTC
    return found


def _periods(ctx, assignment, enrolled, moves) -> list:
    """The periods (or events) of one practice under one assignment begun by today, as the
    scheduler (compliance/schedules/services.py) works them out."""
    template, today = assignment.template, ctx.spec.today
    if template.recurrence == Recurrence.ONCE:
        opens = max(assignment.starts_on, enrolled)
        return [once_period(opens, template.due_days)] if opens <= today else []
    if template.recurrence != Recurrence.AFTER_EVENT:
        return calendar_periods(
            template.recurrence,
            anchor_month=template.anchor_month,
            starts_on=max(assignment.starts_on, enrolled),
            today=today,
        )
    if template.event == RecurrenceEvent.ENROLMENT:
        if assignment.starts_on <= enrolled <= today:
            return [event_period("enrolment", "After enrolment", enrolled, template.due_days)]
        return []
    stage_name = dict(Stage.choices).get(template.event_stage, "a new stage")
    return [
        event_period(f"stage:{pk}", f"After moving to {stage_name}", moved_on, template.due_days)
        for pk, to_stage, moved_on in moves
        if (not template.event_stage or to_stage == template.event_stage)
        and assignment.starts_on <= moved_on <= today
    ]


class _Writer:
    """One chunk's checklists, answers and signatures, written once the chunk is worked out."""

    def __init__(self, ctx, setup: ComplianceSetup):
        self.ctx, self.setup = ctx, setup
        self.today = ctx.spec.today
        self.instances, self.responses, self.signatures = [], [], []
        self._answers: dict = {}

    def instance(self, i, practice_id, assignment, period, rng, struggling) -> None:
        """One checklist: its fate drawn from `rng`, its answers and signatures to match."""
        template = assignment.template
        version_id = template.current_version_id
        items = self.setup.items[version_id]
        fate, day = self._fate(period, rng, struggling)
        lead = self.ctx.lead_id(i)
        failing = fate != "open" and rng.random() < FAILED_ODDS
        status, completed_at, attested_at = InstanceStatus.OPEN, None, None
        answered = 0
        if fate in ("on_time", "late", "unsigned"):
            answered = len(items)
            status, completed_at = InstanceStatus.COMPLETED, at(day, 11)
            if fate != "unsigned":
                status, attested_at = InstanceStatus.ATTESTED, at(day, 16)
        elif fate == "started" and len(items) > 1:
            status, answered = InstanceStatus.IN_PROGRESS, len(items) // 2
        index = len(self.instances)
        self.instances.append(
            (
                template.pk,
                version_id,
                practice_id,
                assignment.pk,
                period.key,
                period.label,
                period.opens_on,
                period.due_on,
                status,
                completed_at,
                attested_at,
                at(period.opens_on, 2),
                day if attested_at is not None else None,  # signed_on, as the service keeps it
                False,  # is_latest: set in save()
            )
        )
        failed_one = failing
        for item in items[:answered]:
            fail = failed_one and item.response_type in (ResponseType.DONE, ResponseType.YES_NO)
            failed_one = failed_one and not fail
            answer = self._answer(item, day, fail)
            self.responses.append((index, item.pk, *answer, at(day, 9), lead))
        if attested_at is not None:
            name = self.setup.lead_names[lead]
            for role in self.setup.attesters[version_id]:
                self.signatures.append((index, role, lead, name, STATEMENT, day, attested_at))

    def _fate(self, period, rng, struggling):
        """What became of a checklist, and the day it was answered (or begun)."""
        roll = rng.random()
        left = (period.due_on - self.today).days
        yesterday = self.today - timedelta(days=1)
        if left >= 0:  # not due yet: some of those due soon are under way
            if left <= DUE_SOON and roll < 0.4:
                return "started", max(period.opens_on, self.today - timedelta(days=3))
            return "open", None
        on_time, late, unsigned, started = FATES[struggling, -left <= RECENT]
        if roll < on_time:
            day = period.due_on - timedelta(days=rng.randint(0, 12))
            return "on_time", min(max(day, period.opens_on), yesterday)
        if roll < late:
            return "late", min(period.due_on + timedelta(days=rng.randint(3, 24)), yesterday)
        if roll < unsigned:
            return "unsigned", min(period.due_on + timedelta(days=2), yesterday)
        if roll < started:
            return "started", max(period.due_on - timedelta(days=2), period.opens_on)
        return "open", None

    def _answer(self, item, day, fail: bool) -> tuple:
        """The answer fields and outcome a lead's answer gives, read by the answers' own rules
        (compliance/instances/answers.py); a compliant one unless `fail`."""
        key = (item.pk, fail)
        if key not in self._answers:
            answer = read_answer(item, _data(item, fail))
            self._answers[key] = (
                tuple(getattr(answer, name) for name in ANSWER_FIELDS),
                answer.outcome,
            )
        fields, outcome = self._answers[key]
        if item.response_type == ResponseType.DATE:  # the date checked: before the answer
            fields = (fields[0], day - timedelta(days=20), *fields[2:])
        return (*fields, outcome)

    def save(self) -> None:
        setup, counts = self.setup, self.ctx.counts
        ids = setup.instances.ids(len(self.instances))
        counts["checklists"] += setup.instances.write(ids, _flag_latest(self.instances))
        responses = [(ids[row[0]], *row[1:]) for row in self.responses]
        counts["checklist answers"] += setup.responses.write(
            setup.responses.ids(len(responses)), responses
        )
        signatures = [(ids[row[0]], *row[1:]) for row in self.signatures]
        counts["checklist signatures"] += setup.signatures.write(
            setup.signatures.ids(len(signatures)), signatures
        )


def _flag_latest(rows: list[tuple]) -> list[tuple]:
    """The rows with `is_latest` set on each practice's latest of each template (the period
    opened last; ids grow with the row's place), as compliance.instances.latest keeps it."""
    latest: dict[tuple, tuple] = {}
    for index, row in enumerate(rows):
        pair, order = (row[0], row[2]), (row[6], index)  # (template, practice), (opens_on, id)
        if pair not in latest or order > latest[pair]:
            latest[pair] = order
    chosen = {index for _, index in latest.values()}
    return [(*row[:-1], index in chosen) for index, row in enumerate(rows)]


def _data(item: ChecklistItem, fail: bool) -> dict:
    """What a practice lead sends for `item`."""
    note = {"note": FAILED_NOTE} if fail else {}
    if item.response_type == ResponseType.DONE:
        return {"choice": "not_done" if fail else "done", **note}
    if item.response_type == ResponseType.YES_NO:
        compliant = "yes" if item.yes_is_compliant else "no"
        other = "no" if compliant == "yes" else "yes"
        return {"choice": other if fail else compliant, **note}
    if item.response_type == ResponseType.DATE:
        return {"value_date": "2000-01-01"}  # replaced by each checklist's own date
    if item.response_type == ResponseType.NUMBER:
        return {"value_number": "4"}
    return {"value_text": "Reviewed at the team meeting; nothing to change."}
