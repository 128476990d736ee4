"""Demo KPI definitions: each demo program loads its sector's KPI pack and the platform pack
(the computed KPIs of the measures the apps register), with program targets for the computed
KPIs that have none and a few practices held to targets of their own.

Called once per program by seed_demo inside the program's scope, after the practices exist.
Loading a pack adds only the KPIs the program does not have, and targets are set only on the
KPIs this run added, so seeding again changes nothing an admin edited."""

from decimal import Decimal

from kpis.definitions.packs.loader import pack_by_key, packs_for_sector
from kpis.definitions.packs.services import pack_load
from kpis.definitions.services import practice_target_set
from kpis.models import KpiDefinition, KpiPracticeTarget
from psp.demo.common import DemoProgram

# Program targets for computed KPIs (the platform pack leaves most to the program).
COMPUTED_TARGETS = {
    "visits": Decimal(2),
    "coaching-hours": Decimal(4),
    "feedback-usefulness": Decimal(4),
    "net-promoter-score": Decimal(40),
    "assessment-change": Decimal(10),
}
# Practices (the first few by name) held to their own target on the first KPI of the sector
# pack with a program target: a stretch for some, a gentler start for others.
OWN_TARGETS = (Decimal("0.8"), Decimal("1.2"), Decimal("0.9"))


def build(demo: DemoProgram) -> None:
    program = demo.program
    by = demo.people.get("admin")
    added: list[str] = []
    for pack in [*packs_for_sector(program.sector), pack_by_key("platform")]:
        plan = pack_load(program=program, pack_key=pack.key, by=by)
        added += [kpi.code for kpi in plan.to_add]
    demo.created["KPI definitions"] += len(added)
    for definition in KpiDefinition.objects.filter(code__in=added, target__isnull=True):
        if definition.code in COMPUTED_TARGETS:
            definition.target = COMPUTED_TARGETS[definition.code]
            definition.save(update_fields=["target"])
    _own_targets(demo, added, by)


def _own_targets(demo: DemoProgram, added: list[str], by) -> None:
    definition = (
        KpiDefinition.objects.filter(code__in=added, target__isnull=False)
        .exclude(source="computed")
        .order_by("position")
        .first()
    )
    if definition is None:
        return
    practices = sorted(demo.practices.values(), key=lambda practice: practice.name)
    for practice, factor in zip(practices, OWN_TARGETS, strict=False):
        if KpiPracticeTarget.objects.filter(definition=definition, practice=practice).exists():
            continue
        target = (definition.target * factor).quantize(Decimal("0.1"))
        if definition.max_value is not None:
            target = min(target, definition.max_value)
        practice_target_set(
            program=demo.program, definition=definition, practice=practice, target=target, by=by
        )
        demo.created["KPI practice targets"] += 1
