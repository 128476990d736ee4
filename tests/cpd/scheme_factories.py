"""Schemes, versions, cycles and counted activities for the CPD tests, written straight to the
tables (the services have their own tests)."""

from datetime import date
from decimal import Decimal

from cpd.models import CpdActivity, CpdCycle, CpdScheme, CpdSchemeVersion
from psp.tenancy.scope import program_scope


def make_scheme(
    program,
    rules: dict,
    *,
    code="family",
    name=None,
    roles=("lead", "staff"),
    sectors=(),
    active=True,
) -> CpdScheme:
    with program_scope(program):
        scheme = CpdScheme.objects.create(
            program=program,
            code=code,
            name=name or code.replace("-", " ").title(),
            applies_to_roles=list(roles),
            applies_to_sectors=list(sectors),
            is_active=active,
        )
        add_version(scheme, rules)
        return scheme


def add_version(scheme: CpdScheme, rules: dict, note="") -> CpdSchemeVersion:
    with program_scope(scheme.program):
        number = scheme.versions.count() + 1
        version = CpdSchemeVersion.objects.create(
            program=scheme.program, scheme=scheme, number=number, rules=rules, note=note
        )
        scheme.current_version = version
        scheme.save(update_fields=["current_version"])
        return version


def make_cycle(scheme, person, starts_on: date, ends_on: date, **fields) -> CpdCycle:
    with program_scope(scheme.program):
        return CpdCycle.objects.create(
            program=scheme.program,
            scheme=scheme,
            version=fields.pop("version", scheme.current_version),
            person=person,
            starts_on=starts_on,
            ends_on=ends_on,
            **fields,
        )


def make_activity(
    cycle,
    ended_on: date,
    credits,
    *,
    category="certified",
    activity_type="workshop",
    status="verified",
) -> CpdActivity:
    with program_scope(cycle.program):
        return CpdActivity.objects.create(
            program=cycle.program,
            person=cycle.person,
            cycle=cycle,
            activity_type=activity_type,
            title=f"{activity_type} on {ended_on}",
            started_on=ended_on,
            ended_on=ended_on,
            hours=Decimal(str(credits)),
            category=category,
            credits=Decimal(str(credits)),
            status=status,
        )
