"""CPD at scale: the scheme templates that suit the program's sectors, loaded as an admin would,
the manager named a verifier, and for every person a scheme applies to (the practice leads;
coaches too when a loaded scheme names their role) two years of activities in their cycles.

Each person records about twenty activities over the two years, sized so that they learn at
their own pace against their scheme's (some ahead, some behind). Most older ones are verified
by the manager or self-reported, a few still wait, were rejected or are drafts; those of the
last six weeks wait in the verifier's queue. Credits and categories come from the CPD services'
own rule (`credit_under`), cycles follow one another without gaps as `cycle_for` makes them,
credits carried over are worked out by the progress engine, and each chunk's cycle statuses are
then refreshed by the service the activity services call (`cycles_status_refresh`). No
evidence files and no history lines: a page shows none, which is what a bulk import leaves too.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from cpd.activities.services.common import credit_under
from cpd.models import ActivityStatus, CpdActivity, CpdCycle
from cpd.progress.engine import carry_over, progress
from cpd.progress.services import cycles_status_refresh
from cpd.schemes.cycles import active_schemes, matching_scheme
from cpd.schemes.dates import DAY, first_span, span_after
from cpd.schemes.packs import templates_for_sector
from cpd.schemes.rules import Rules
from cpd.schemes.services import scheme_load_template, verifier_name
from practices.models import Practice
from psp.accounts.models import PracticeRole
from psp.demo.cpd_activities import LAW, PACES, PRIMARY_CARE
from psp.demo.scale.context import ScaleContext, at
from psp.demo.scale.writer import Table
from psp.tenancy.models import ProgramRole, Sector

PER_PERSON = 20  # activities over the two years
SPACING = 36  # days between two of them, give or take
RECENT_DAYS = 42  # what ended more recently waits in the verifier's queue
REJECTION = "The certificate shows fewer hours than recorded: correct them and send it again."
# Older activities, by how they stand: verified, self-reported, still submitted, rejected, draft.
OLDER = [
    (ActivityStatus.VERIFIED, 78),
    (ActivityStatus.SELF_REPORTED, 14),
    (ActivityStatus.SUBMITTED, 3),
    (ActivityStatus.REJECTED, 3),
    (ActivityStatus.DRAFT, 2),
]
COUNTED = {ActivityStatus.VERIFIED, ActivityStatus.SELF_REPORTED, ActivityStatus.SUBMITTED}


@dataclass
class CpdSetup:
    """The loaded schemes (in the order people are matched to them), their parsed rules, and
    the tables the rows go to."""

    schemes: list = field(default_factory=list)
    rules: dict = field(default_factory=dict)  # by scheme id
    coach_scheme: object = None
    cycles: Table = None
    activities: Table = None


def cpd_setup(ctx: ScaleContext) -> CpdSetup:
    """Load the templates that suit the program's practices' sectors, name the manager a
    verifier; returns what the chunks need."""
    program, manager = ctx.program, ctx.people.manager
    sectors = set(Practice.objects.values_list("sector", flat=True).distinct())
    keys = dict.fromkeys(t.key for s in sorted(sectors) for t in templates_for_sector(s))
    for key in keys:
        scheme_load_template(program=program, key=key, by=manager)
        ctx.counts["CPD schemes"] += 1
    verifier_name(program=program, user=manager, by=manager)
    setup = CpdSetup(schemes=active_schemes())
    setup.rules = {s.pk: Rules.parse(s.current_version.rules) for s in setup.schemes}
    setup.coach_scheme = matching_scheme(
        setup.schemes, set(), {(ProgramRole.COACH, program.sector)}
    )
    setup.cycles = Table(
        CpdCycle,
        [
            "person_id",
            "scheme_id",
            "version_id",
            "starts_on",
            "ends_on",
            "carried_in",
            "created_at",
        ],
    )
    setup.activities = Table(
        CpdActivity,
        [
            "person_id",
            "practice_id",
            "cycle_id",
            "activity_type",
            "title",
            "provider",
            "started_on",
            "ended_on",
            "hours",
            "items",
            "category",
            "credits",
            "reflection",
            "status",
            "submitted_at",
            "verified_at",
            "verified_by_id",
            "rejection_reason",
            "created_at",
            "created_by_id",
        ],
        copy=True,
    )
    return setup


@dataclass
class _Rows:
    cycles: list = field(default_factory=list)  # (person's key, cycle row) in order
    activities: list = field(default_factory=list)  # (cycle's index in `cycles`, row)


def cpd_build(ctx: ScaleContext, setup: CpdSetup, chunk: range) -> None:
    """The cycles and activities of the chunk's practice leads (and, with the first chunk, of
    the coaches when a scheme applies to them), then their cycles' statuses."""
    if not setup.schemes:
        return
    rows = _Rows()
    sectors = dict(
        Practice.objects.filter(pk__in=[ctx.practice_ids[i] for i in chunk]).values_list(
            "pk", "sector"
        )
    )
    for i in chunk:
        practice_id = ctx.practice_ids[i]
        pairs = {(PracticeRole.LEAD, sectors[practice_id])}
        scheme = matching_scheme(setup.schemes, set(), pairs)
        if scheme is not None:
            _person(ctx, setup, rows, ("lead", i), ctx.lead_id(i), practice_id, scheme, sectors)
    if chunk.start == 0 and setup.coach_scheme is not None:
        for c, coach in enumerate(ctx.people.coaches):
            _person(ctx, setup, rows, ("coach", c), coach.pk, None, setup.coach_scheme, {})
    _write(ctx, setup, rows)


def _person(ctx, setup, rows: _Rows, key, person_id, practice_id, scheme, sectors) -> None:
    spec = ctx.spec
    rng = spec.rng(f"cpd-{key[0]}", key[1])
    rules = setup.rules[scheme.pk]
    law = sectors.get(practice_id) == Sector.LAW
    catalogue = LAW if law else PRIMARY_CARE
    pace = Decimal(str(PACES[key[1] % len(PACES)]))
    activities = []
    for k in range(PER_PERSON):
        ended = spec.today - timedelta(days=3 + k * SPACING + rng.randint(0, 20))
        learning = catalogue[rng.randrange(len(catalogue))]
        amount = _amount(rules, learning.activity_type, pace)
        if amount is None:
            continue
        hours, items = amount
        category = learning.category if learning.category in rules.category_keys else ""
        category, credits = credit_under(rules, learning.activity_type, hours, items, category)
        age = (spec.today - ended).days
        status = (
            ActivityStatus.SUBMITTED
            if age < RECENT_DAYS
            else rng.choices([s for s, _ in OLDER], [w for _, w in OLDER])[0]
        )
        started = ended - timedelta(days=int(hours // 7))
        activities.append(
            dict(
                person_id=person_id,
                practice_id=practice_id,
                activity_type=learning.activity_type,
                title=learning.title,
                provider=learning.provider,
                started_on=started,
                ended_on=ended,
                hours=hours,
                items=items,
                category=category,
                credits=credits,
                reflection=learning.reflection,
                status=status,
            )
        )
    activities.sort(key=lambda a: a["ended_on"])
    if activities:
        _cycles(ctx, rows, rules, scheme, person_id, activities)


def _amount(rules: Rules, activity_type: str, pace: Decimal) -> tuple[Decimal, int | None] | None:
    """Hours (and items, for a type credited per item) so that PER_PERSON activities over two
    years make `pace` times the scheme's yearly pace; None for a type it does not credit."""
    rule = rules.rule_for(activity_type)
    if rule is None:
        return None
    credits = pace * rules.total / rules.cycle.years * 2 / PER_PERSON
    amount = credits / rule.rate
    if rule.per == "item":
        return Decimal(1), max(1, int(amount.to_integral_value(ROUND_HALF_UP)))
    halves = (amount * 2).to_integral_value(ROUND_HALF_UP) / 2
    return min(max(halves, Decimal("0.5")), Decimal(16)).quantize(Decimal("0.01")), None


def _cycles(ctx, rows: _Rows, rules: Rules, scheme, person_id, activities) -> None:
    """The person's cycles from the one of their first activity to the one of today, one after
    the other as `cycle_for` makes them, each carrying in what the one before carries over."""
    rule = rules.cycle
    span = first_span(rule, activities[0]["ended_on"])
    month, day = (
        (rule.fixed_month, rule.fixed_day)
        if rule.start == "fixed"
        else (span.starts_on.month, span.starts_on.day)
    )
    carried = Decimal(0)
    while True:
        mine = [a for a in activities if span.starts_on <= a["ended_on"] <= span.ends_on]
        cycle = CpdCycle(starts_on=span.starts_on, ends_on=span.ends_on, carried_in=carried)
        rows.cycles.append(
            (
                person_id,
                scheme.pk,
                scheme.current_version_id,
                span.starts_on,
                span.ends_on,
                carried,
                at(span.starts_on, 8),
            )
        )
        rows.activities.extend((len(rows.cycles) - 1, a) for a in mine)
        if span.ends_on >= ctx.spec.today:
            return
        counted = [a for a in mine if a["status"] in COUNTED]
        result = progress(rules=rules, cycle=cycle, activities=counted, today=span.ends_on)
        carried = carry_over(rules, result)
        span = span_after(span, month=month, day=day, years=rule.years, on=span.ends_on + DAY)


def _write(ctx, setup: CpdSetup, rows: _Rows) -> None:
    manager = ctx.people.manager.pk
    cycle_ids = list(setup.cycles.ids(len(rows.cycles)))
    ctx.counts["CPD cycles"] += setup.cycles.write(cycle_ids, rows.cycles)
    written = [_activity_row(a, cycle_ids[index], manager) for index, a in rows.activities]
    ctx.counts["CPD activities"] += setup.activities.write(
        setup.activities.ids(len(written)), written
    )
    # Met or not, and the day the last requirement was met, as after the person's last write.
    cycles_status_refresh(program=ctx.program, cycle_ids=cycle_ids, today=ctx.spec.today)


def _activity_row(a: dict, cycle_id: int, manager: int) -> tuple:
    recorded = at(a["ended_on"] + DAY, 18)
    status = a["status"]
    sent = status in (ActivityStatus.SUBMITTED, ActivityStatus.VERIFIED, ActivityStatus.REJECTED)
    verified = status == ActivityStatus.VERIFIED
    return (
        a["person_id"],
        a["practice_id"],
        cycle_id,
        a["activity_type"],
        a["title"],
        a["provider"],
        a["started_on"],
        a["ended_on"],
        a["hours"],
        a["items"],
        a["category"],
        a["credits"],
        a["reflection"],
        status,
        recorded if sent else None,
        at(a["ended_on"] + timedelta(days=9), 11) if verified else None,
        manager if verified else None,
        REJECTION if status == ActivityStatus.REJECTED else "",
        recorded,
        a["person_id"],
    )
