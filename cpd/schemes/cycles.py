"""Which scheme a person is under, and their cycle for a date (made when missing).

A person's cycles under a scheme follow one another without gaps: the first starts at the start
of the reporting year (fixed start) or on the first date the platform needs one (personal start:
the person's own start date); later and earlier ones are counted from it in whole cycles. A new
cycle starts under the scheme's current rules version and keeps it whatever changes later; what
the previous cycle carries over is worked out by the progress engine under that cycle's rules.
"""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from cpd.activities.models import CpdActivity
from cpd.progress.engine import carry_over, progress
from cpd.schemes.dates import DAY, Span, first_span, span_after, span_before
from cpd.schemes.models import CpdCycle, CpdScheme, CpdSchemeMember
from cpd.schemes.rules import Rules
from practices.models import PracticeMembership
from psp.tenancy.models import ProgramMembership, ProgramRole

PROGRAM_ROLES = (ProgramRole.ADMIN, ProgramRole.MANAGER, ProgramRole.COACH)


def _roles_with_sectors(person) -> set[tuple[str, str]]:
    """The (role, sector) pairs a person holds in the program in scope: a practice role with its
    practice's sector, a program role with the program's."""
    pairs = set()
    membership = (
        ProgramMembership.objects.filter(user=person, is_active=True)
        .select_related("program")
        .first()
    )
    if membership and membership.role in PROGRAM_ROLES:
        pairs.add((membership.role, membership.program.sector))
    for role, sector in PracticeMembership.objects.filter(user=person, is_active=True).values_list(
        "role", "practice__sector"
    ):
        pairs.add((role, sector))
    return pairs


def active_schemes() -> list[CpdScheme]:
    """The schemes people can be under, in the order they are matched (by name)."""
    return list(
        CpdScheme.objects.filter(is_active=True, current_version__isnull=False).order_by(
            "name", "pk"
        )
    )


def matching_scheme(schemes, picked: set[int], pairs: set[tuple[str, str]]) -> CpdScheme | None:
    """Of `schemes` (in order), one whose id is in `picked` (chosen by hand), else the first
    whose roles and sectors hold one of the person's (role, sector) `pairs`."""
    for scheme in schemes:
        if scheme.pk in picked:
            return scheme
    for scheme in schemes:
        for role, sector in pairs:
            if role in scheme.applies_to_roles and (
                not scheme.applies_to_sectors or sector in scheme.applies_to_sectors
            ):
                return scheme
    return None


def scheme_for(*, person, on: date) -> CpdScheme | None:
    """The scheme `person` records CPD under: one an admin picked them for, else the first active
    scheme (by name) whose roles and sectors match one of theirs. Memberships carry no end dates,
    so the person's roles today decide for any `on`."""
    schemes = active_schemes()
    if not schemes:
        return None
    picked = set(CpdSchemeMember.objects.filter(user=person).values_list("scheme_id", flat=True))
    if any(scheme.pk in picked for scheme in schemes):
        return matching_scheme(schemes, picked, set())
    return matching_scheme(schemes, picked, _roles_with_sectors(person))


def cycle_for(*, program, person, on: date, create: bool = True) -> CpdCycle | None:
    """The person's cycle containing `on` under their scheme; made under the scheme's current
    version, with carry-over from the previous cycle, when missing and `create`. With no scheme
    (any more), a cycle they already have for that date."""
    scheme = scheme_for(person=person, on=on)
    cycles = list(
        CpdCycle.objects.filter(person=person).select_related("version").order_by("starts_on")
    )
    containing = [c for c in cycles if c.starts_on <= on <= c.ends_on]
    if scheme is None:
        return containing[-1] if containing else None
    for cycle in containing:
        if cycle.scheme_id == scheme.pk:
            return cycle
    if not create:
        return None
    own = [c for c in cycles if c.scheme_id == scheme.pk]
    span = _span_for(scheme, own, on)
    previous = next((c for c in own if c.ends_on == span.starts_on - DAY), None)
    carried = carried_in_from(previous) if previous else Decimal(0)
    try:
        with transaction.atomic():
            cycle, _ = CpdCycle.objects.get_or_create(
                program=program,
                person=person,
                scheme=scheme,
                starts_on=span.starts_on,
                defaults={
                    "version_id": scheme.current_version_id,
                    "ends_on": span.ends_on,
                    "carried_in": carried,
                },
            )
    except IntegrityError:  # made by a concurrent request between our read and write
        cycle = CpdCycle.objects.get(person=person, scheme=scheme, starts_on=span.starts_on)
    return cycle


def _span_for(scheme: CpdScheme, own: list[CpdCycle], on: date) -> Span:
    """The dates of a new cycle containing `on`, given the person's cycles under the scheme."""
    rules = Rules.parse(scheme.current_version.rules).cycle
    if not own:
        return first_span(rules, on)
    years = rules.years
    if rules.start == "fixed":
        month, day = rules.fixed_month, rules.fixed_day
    else:
        month, day = own[0].starts_on.month, own[0].starts_on.day
    earlier = [c for c in own if c.ends_on < on]
    later = [c for c in own if c.starts_on > on]
    # The cycle next to an existing one joins it without a gap or an overlap, also when the
    # reporting date changed between them; cycles further away fall on the anchor date.
    if earlier:
        last = Span(earlier[-1].starts_on, earlier[-1].ends_on)
        span = span_after(last, month=month, day=day, years=years, on=last.ends_on + DAY)
        span = Span(last.ends_on + DAY, span.ends_on)
        if on > span.ends_on:
            span = span_after(span, month=month, day=day, years=years, on=on)
    else:
        first = Span(later[0].starts_on, later[0].ends_on)
        span = span_before(first, month=month, day=day, years=years, on=first.starts_on - DAY)
        span = Span(span.starts_on, first.starts_on - DAY)
        if on < span.starts_on:
            span = span_before(span, month=month, day=day, years=years, on=on)
    if later and span.ends_on >= later[0].starts_on:
        span = Span(span.starts_on, later[0].starts_on - DAY)
    return span


def carried_in_from(previous: CpdCycle) -> Decimal:
    """What `previous` carries into the cycle after it, under the rules it ran under."""
    rules = Rules.parse(previous.version.rules)
    if rules.carry_over is None:
        return Decimal(0)
    activities = CpdActivity.objects.filter(cycle=previous).values(
        "activity_type", "category", "credits", "ended_on", "status"
    )
    result = progress(rules=rules, cycle=previous, activities=activities, today=previous.ends_on)
    return carry_over(rules, result)
