"""Loading a KPI pack (loader.py reads the files) into a program.

Loading adds the pack's KPIs the program does not have yet, by code, and nothing else: a KPI the
program already has (loaded before, from another pack, or defined by hand and perhaps edited
since) is left exactly as it is, so a second load adds nothing and an admin's edits survive.
A computed KPI whose measure no app has registered is skipped, and the packs page says so; it
is added by a later load once the measure exists."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from kpis.definitions.packs.loader import Pack, PackKpi, available_packs, pack_by_key
from kpis.models import KpiDefinition, Source
from kpis.refresh.services import kpis_request_refresh
from psp.history.models import SubjectType
from psp.history.services import change_line
from psp.measures.registry import registry
from psp.tenancy.models import Program


@dataclass
class PackPlan:
    """What loading `pack` into the program does now."""

    pack: Pack
    to_add: list[PackKpi] = field(default_factory=list)
    present: list[PackKpi] = field(default_factory=list)
    unavailable: list[PackKpi] = field(default_factory=list)  # no measure registered

    @property
    def kpi_count(self) -> int:
        return len(self.to_add) + len(self.present) + len(self.unavailable)


def _expanded(kpi: PackKpi) -> list[PackKpi]:
    """The KPIs an entry stands for today: itself, or one per registered measure it names."""
    if not kpi.each_measure:
        return [kpi]
    return [
        PackKpi(
            code=measure.code,
            name=measure.name,
            description=measure.description,
            unit=measure.unit,
            direction=measure.direction,
            aggregation=measure.aggregation,
            frequency=kpi.frequency,
            source=Source.COMPUTED,
            measure=measure.code,
            sector=kpi.sector,
        )
        for measure in registry.all()
        if measure.code.startswith(kpi.code)
    ]


def _as_computed(kpi: PackKpi) -> PackKpi | None:
    """The KPI as its registered measure counts it; None when the measure is not registered."""
    if kpi.source != Source.COMPUTED:
        return kpi
    measure = registry.get(kpi.measure)
    if measure is None:
        return None
    return PackKpi(
        **{
            **kpi.__dict__,
            "unit": measure.unit,
            "direction": measure.direction,
            "aggregation": measure.aggregation,
        }
    )


def pack_plan(pack: Pack, existing_codes: set[str]) -> PackPlan:
    plan = PackPlan(pack)
    for entry in pack.kpis:
        expanded = _expanded(entry)
        if not expanded:
            plan.unavailable.append(entry)
        for kpi in expanded:
            ready = _as_computed(kpi)
            if ready is None:
                plan.unavailable.append(kpi)
            elif kpi.code in existing_codes:
                plan.present.append(kpi)
            else:
                plan.to_add.append(ready)
    return plan


def pack_plans() -> list[PackPlan]:
    """Every shipped pack with what loading it would add to the program in scope (one query)."""
    codes = set(KpiDefinition.objects.values_list("code", flat=True))
    return [pack_plan(pack, codes) for pack in available_packs()]


@transaction.atomic
def pack_load(*, program, pack_key: str, by) -> PackPlan:
    """Add the pack's KPIs the program does not have yet; the plan says what was added."""
    try:
        pack = pack_by_key(pack_key)
    except LookupError as error:
        raise ValidationError({"pack": str(error)}) from error
    # One load at a time per program, so two admins pressing Load add each KPI once.
    Program.objects.select_for_update().filter(pk=program.pk).first()
    plan = pack_plan(pack, set(KpiDefinition.objects.values_list("code", flat=True)))
    if not plan.to_add:
        return plan
    last = KpiDefinition.objects.order_by("-position").values_list("position", flat=True).first()
    start = 0 if last is None else last + 1
    added = KpiDefinition.objects.bulk_create(
        [_definition(program, pack, kpi, start + i) for i, kpi in enumerate(plan.to_add)]
    )
    lines = [
        change_line(
            program=program,
            practice=0,
            subject_type=SubjectType.KPI,
            subject_id=definition.pk,
            what="kpi.created",
            summary=f"KPI “{definition.name}” loaded from the “{pack.name}” pack.",
            by=by,
        )
        for definition in added
    ]
    type(lines[0]).objects.bulk_create(lines)
    kpis_request_refresh(program=program, reason="kpi pack loaded")
    return plan


def _definition(program, pack: Pack, kpi: PackKpi, position: int) -> KpiDefinition:
    return KpiDefinition(
        program=program,
        code=kpi.code,
        name=kpi.name[:200],
        description=kpi.description,
        unit=kpi.unit,
        direction=kpi.direction,
        aggregation=kpi.aggregation,
        frequency=kpi.frequency,
        source=kpi.source,
        measure=kpi.measure,
        sector=kpi.sector,
        target=kpi.target,
        min_value=kpi.min_value,
        max_value=kpi.max_value,
        pack=pack.key,
        position=position,
    )
