"""Demo checklist templates: each program loads the checklist packs that suit its practices'
sectors and assigns them, starting about 14 months back so past periods exist for the
`compliance_checklists` step to fill in (done on time, late, overdue, due soon):

- to every practice: the annual privacy review, the privacy set-up within 30 days of enrolment,
  the annual security review, and the access check within 14 days of moving to the pilot stage;
- to every practice of the program's sector: the monthly security checks, the quarterly record
  audit, the annual consent review, and each sector template (infection control in primary care,
  trust accounting and conflict checks in law, safeguarding in education and social services);
- to one practice (the first by name): the quarterly consent file audit;
- the records retention review stays unassigned, as a template an admin has not used yet.

Called once per program by seed_demo inside the program's scope, after the practices exist.
Loading skips templates already here, and assignments are made only by the run that loaded the
packs, so seeding again creates nothing and keeps an admin's changes.

Practices nobody from the practice signs in to (no lead or staff in the demo) cannot have
completed a checklist, so 14 months of them would all be overdue: those practices get each
template from the start of the current month instead, one assignment per practice."""

from datetime import date

from compliance.checklists.models import ChecklistTemplate
from compliance.checklists.packs import available_packs
from compliance.checklists.packs.services import pack_load
from compliance.schedules.assignments import checklist_assign
from compliance.schedules.services import schedule_instances
from practices.models import Practice, PracticeMembership
from psp.demo.common import DemoProgram

EVERY_PRACTICE = (
    "privacy-annual-review",
    "privacy-onboarding",
    "security-annual-review",
    "security-before-pilot",
)
PROGRAM_SECTOR = ("security-monthly-checks", "records-quarterly-audit", "consent-annual-review")
ONE_PRACTICE = ("consent-file-audit",)
MONTHS_BACK = 14


def _months_back(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def build(demo: DemoProgram) -> None:
    program = demo.program
    by = demo.people.get("admin")
    sectors = set(Practice.objects.values_list("sector", flat=True)) | {program.sector}
    keys = [pack.key for pack in available_packs() if pack.suits(sectors)]
    loaded = pack_load(program=program, pack_keys=keys, by=by)
    if not loaded.made:
        return  # loaded and assigned by an earlier run
    demo.created["checklist templates"] += len(loaded.made)
    today = demo.now.astimezone(program.zone).date()
    starts_on = _months_back(today, MONTHS_BACK)
    first = Practice.objects.order_by("name", "pk").first()
    unstaffed = list(
        Practice.objects.exclude(
            pk__in=PracticeMembership.objects.filter(is_active=True).values("practice_id")
        ).order_by("pk")
    )
    for template in ChecklistTemplate.objects.filter(pk__in=[t.pk for t in loaded.made]):
        target = _target(template, program.sector, sectors, first)
        if target is None:
            continue
        for chosen, start in _split(target, template, unstaffed, starts_on, today):
            result = checklist_assign(
                program=program, by=by, template=template, starts_on=start, **chosen
            )
            demo.created["checklist assignments"] += len(result.made)
    made = schedule_instances(program=program, today=today)
    demo.created["checklists scheduled"] += made


def _split(target: dict, template, unstaffed: list, starts_on: date, today: date):
    """The assignments making up `target`: the practices with people from `starts_on`, those
    without from this month."""
    if "practices" in target:
        return [(target, starts_on)]
    wanted = template.sector or target.get("sector")
    left_out = [p for p in unstaffed if not wanted or p.sector == wanted]
    if not left_out:
        return [(target, starts_on)]
    staffed = Practice.objects.exclude(pk__in=[p.pk for p in unstaffed])
    if wanted:
        staffed = staffed.filter(sector=wanted)
    parts = [
        ({"practices": list(staffed.order_by("pk"))}, starts_on),
        ({"practices": left_out}, today.replace(day=1)),
    ]
    return [(chosen, start) for chosen, start in parts if chosen["practices"]]


def _target(template, program_sector: str, sectors: set, first) -> dict | None:
    """How the demo assigns this template, or None to leave it unassigned."""
    if template.sector:
        return {"sector": template.sector} if template.sector in sectors else None
    if template.key in EVERY_PRACTICE:
        return {"every_practice": True}
    if template.key in PROGRAM_SECTOR:
        return {"sector": program_sector}
    if template.key in ONE_PRACTICE and first is not None:
        return {"practices": [first]}
    return None
