"""Demo practices: a dozen per program across all seven enrolment stages, each with a stage
history, coaches, and (for several) a practice lead and staff who can log in."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from practices.models import CoachAssignment, Practice, PracticeMembership, Stage, StageChange
from psp.accounts.models import PracticeRole
from psp.demo.common import DemoProgram, person
from psp.demo.people import membership_join
from psp.demo.programs import LEGAL, NORTHERN
from psp.tenancy.models import ProgramRole, Sector

NA, PD, SE = Stage.NEEDS_ASSESSMENT, Stage.PROGRAM_DESIGN, Stage.STAKEHOLDER_ENGAGEMENT
PILOT, TRAIN, MON, SUS = Stage.PILOT, Stage.TRAINING, Stage.MONITORING, Stage.SUSTAINABILITY


@dataclass(frozen=True)
class Member:
    full_name: str
    title: str
    role: str = PracticeRole.STAFF


@dataclass(frozen=True)
class PracticeSpec:
    name: str
    specialty: str
    professionals: int
    support_staff: int
    region: str
    address: str
    phone: str
    domain: str  # the practice's email domain
    contact: str  # contact person's name (the lead, when the practice has one)
    stage: str
    days_in_stage: int  # how long ago it reached its current stage
    coaches: tuple[str, ...]  # keys from psp/demo/people.py; the first is the primary coach
    members: tuple[Member, ...] = field(default=())  # people who can log in


def _lead(name: str, title: str) -> Member:
    return Member(name, title, PracticeRole.LEAD)


PRACTICES: dict[str, list[PracticeSpec]] = {
    NORTHERN: [
        PracticeSpec(
            "Riverside Family Health Team", "Family medicine", 9, 14, "Lakehead",
            "118 Water Street, Port Arthur", "807-555-0118", "riverside-fht.example.org",
            "Dr. Helen Park", MON, 34, ("aisha",),
            (
                _lead("Dr. Helen Park", "Lead physician"),
                Member("Jordan Blake", "Office manager"),
                Member("Mei Lin", "Registered nurse"),
            ),
        ),
        PracticeSpec(
            "Birch Lake Medical Clinic", "Family medicine", 4, 5, "Boreal East",
            "7 Birch Lake Road, Nipigon", "807-555-0107", "birchlake-clinic.example.org",
            "Dr. Omar Farouk", PILOT, 19, ("tom",),
            (
                _lead("Dr. Omar Farouk", "Physician lead"),
                Member("Kelly Dupuis", "Medical office assistant"),
            ),
        ),
        PracticeSpec(
            "Kenora Street Pediatrics", "Pediatrics", 3, 4, "Lakehead",
            "240 Kenora Street, Fort William", "807-555-0124", "kenora-peds.example.org",
            "Linda Kowalski", TRAIN, 12, ("aisha",),
        ),
        PracticeSpec(
            "Northshore Community Health Centre", "Community health centre", 12, 22,
            "North Shore", "55 Harbour Drive, Marathon", "807-555-0155",
            "northshore-chc.example.org", "Dr. Amara Okonkwo", SUS, 61, ("sam", "aisha"),
            (
                _lead("Dr. Amara Okonkwo", "Medical director"),
                Member("Luc Tremblay", "Nurse practitioner"),
            ),
        ),
        PracticeSpec(
            "Pine Ridge Nurse Practitioner-Led Clinic", "Nurse practitioner-led primary care",
            5, 6, "Boreal East", "3 Pine Ridge Crescent, Geraldton", "807-555-0103",
            "pineridge-nplc.example.org", "Rachel Sinclair", SE, 23, ("tom",),
        ),
        PracticeSpec(
            "Thunder Bay Walk-in and Urgent Care", "Walk-in and urgent care", 7, 9, "Lakehead",
            "901 Memorial Avenue, Thunder Bay", "807-555-0191", "tb-walkin.example.org",
            "Greg Antonelli", NA, 9, ("sam",),
        ),
        PracticeSpec(
            "Sioux Narrows Rural Health Clinic", "Rural family medicine", 2, 3,
            "Sunset Country", "12 Highway 71, Sioux Narrows", "807-555-0112",
            "snrhc.example.org", "Dr. Claire Boucher", PD, 16, ("tom",),
        ),
        PracticeSpec(
            "Anishinaabe Wellness Centre", "Indigenous primary health care", 6, 10,
            "Sunset Country", "400 Lakeview Drive, Kenora", "807-555-0140",
            "anishinaabe-wellness.example.org", "Dr. Joseph Meekis", MON, 88, ("sam",),
            (_lead("Dr. Joseph Meekis", "Physician lead"),),
        ),
        PracticeSpec(
            "Harbourview Seniors' Health Clinic", "Geriatric primary care", 4, 7, "North Shore",
            "18 Lakeshore Road, Terrace Bay", "807-555-0181", "harbourview-seniors.example.org",
            "Dr. Ingrid Halvorsen", PILOT, 40, ("aisha",),
        ),
        PracticeSpec(
            "Cedar Grove Family Practice", "Family medicine", 3, 3, "Boreal East",
            "66 Cedar Grove Lane, Longlac", "807-555-0166", "cedargrove-fp.example.org",
            "Dr. Samuel Achebe", PD, 27, ("sam",),
        ),
        # Stalled: in stakeholder engagement for months (what "practices at risk" will show).
        PracticeSpec(
            "Marathon Family Medicine Group", "Family medicine", 6, 8, "North Shore",
            "2 Peninsula Road, Marathon", "807-555-0102", "marathon-fmg.example.org",
            "Dr. Patricia Lemieux", SE, 112, ("tom",),
        ),
        PracticeSpec(
            "Red Lake Medical Associates", "Family medicine", 5, 6, "Sunset Country",
            "140 Howey Street, Red Lake", "807-555-0114", "redlake-medical.example.org",
            "Dr. Ethan Kaur", NA, 4, ("aisha",),
        ),
    ],
    LEGAL: [
        PracticeSpec(
            "Okafor & Lindqvist Family Law", "Family law", 6, 5, "Downtown",
            "200 King Street West, Suite 1400", "416-555-0200", "okafor-lindqvist.example.org",
            "Adaeze Okafor", MON, 45, ("daniel",),
            (
                _lead("Adaeze Okafor", "Managing partner"),
                Member("Ben Carter", "Office manager"),
                Member("Rosa Jimenez", "Law clerk"),
            ),
        ),
        PracticeSpec(
            "Harbour Street Legal Clinic", "Community legal clinic", 4, 6, "Harbourfront",
            "15 Harbour Street", "416-555-0215", "harbourstreet-clinic.example.org",
            "Nadia Rahman", SUS, 70, ("fatima",),
            (
                _lead("Nadia Rahman", "Executive director"),
                Member("Kevin O'Neill", "Intake coordinator"),
            ),
        ),
        PracticeSpec(
            "Brennan Immigration Law", "Immigration law", 2, 3, "Eastside",
            "881 Danforth Avenue", "416-555-0881", "brennan-immigration.example.org",
            "Siobhan Brennan", PILOT, 22, ("daniel",),
            (_lead("Siobhan Brennan", "Principal lawyer"),),
        ),
        PracticeSpec(
            "Valley Estates and Wills", "Wills and estates", 1, 2, "North Valley",
            "42 Mill Road", "416-555-0042", "valley-estates.example.org",
            "Margaret Osei", NA, 6, ("fatima",),
        ),
        PracticeSpec(
            "Greenway Employment Lawyers", "Employment law", 5, 4, "Downtown",
            "100 Adelaide Street East, Suite 300", "416-555-0100", "greenway-law.example.org",
            "Paul Greenway", SE, 30, ("daniel",),
        ),
        PracticeSpec(
            "Chen Patel Criminal Defence", "Criminal defence", 3, 2, "Eastside",
            "310 Gerrard Street East", "416-555-0310", "chenpatel-defence.example.org",
            "Michael Chen", TRAIN, 15, ("fatima",),
            (
                _lead("Michael Chen", "Partner"),
                Member("Aaliyah Grant", "Legal assistant"),
            ),
        ),
        PracticeSpec(
            "Westmount Real Estate Law", "Real estate law", 4, 6, "West End",
            "1650 Bloor Street West", "416-555-0165", "westmount-realestate.example.org",
            "Hannah Westmount", PD, 11, ("daniel",),
        ),
        PracticeSpec(
            "Lakeshore Legal Aid Office", "Legal aid", 8, 10, "Lakeshore",
            "3000 Lake Shore Boulevard West", "416-555-0300", "lakeshore-legalaid.example.org",
            "Victor Almeida", MON, 102, ("fatima", "daniel"),
        ),
        PracticeSpec(
            "Morrison Law Office", "General practice (sole practitioner)", 1, 1, "North Valley",
            "9 Station Street", "416-555-0009", "morrison-law.example.org",
            "Alan Morrison", SE, 48, ("fatima",),
        ),
        PracticeSpec(
            "Tran & Abara Business Law", "Corporate and commercial law", 7, 8, "Downtown",
            "150 York Street, Suite 900", "416-555-0150", "tran-abara.example.org",
            "Linh Tran", PILOT, 35, ("daniel",),
        ),
        PracticeSpec(
            "Northgate Indigenous Legal Services", "Indigenous rights and family law", 3, 4,
            "Northgate", "75 Northgate Road", "416-555-0075", "northgate-ils.example.org",
            "Cheryl Whitecloud", PD, 20, ("fatima",),
        ),
        PracticeSpec(
            "Eastside Tenant Law Collective", "Housing and tenant law", 3, 3, "Eastside",
            "512 Queen Street East", "416-555-0512", "eastside-tenants.example.org",
            "Jamal Fraser", NA, 2, ("daniel",),
        ),
    ],
}  # fmt: skip

# Typical days a practice spends in each stage before moving on (the last stage has no end).
STAGE_DAYS = {NA: 21, PD: 30, SE: 35, PILOT: 56, TRAIN: 42, MON: 120}
# The program's first intakes: they took this many times the typical days over the stages before
# monitoring (a merger of two sites; a board that meets quarterly). The first, about two years
# ago, and the second, over a year ago, give the demo two years of visits across several
# practices and coaches. Monitoring is not stretched: their follow-up assessments stay as recent
# as the other practices'.
FIRST_INTAKE = {
    "Northshore Community Health Centre": 3,
    "Harbour Street Legal Clinic": 3,
    "Riverside Family Health Team": 2,
    "Anishinaabe Wellness Centre": 2,
    "Okafor & Lindqvist Family Law": 2,
    "Lakeshore Legal Aid Office": 2,
}

# Why a practice moved into each stage, as a coach would write it.
STAGE_NOTES = {
    Sector.PRIMARY_CARE: {
        NA: "Enrolled after the regional information session. Baseline practice assessment "
        "booked with the physician lead.",
        PD: "Needs assessment complete. Weakest domains: same-day access and chronic disease "
        "registries. Drafting the support plan with the team.",
        SE: "Support plan agreed. Meeting physicians, nurses and the front desk to agree who "
        "owns each action.",
        PILOT: "Piloting an advanced-access booking template with two physicians for six weeks.",
        TRAIN: "Pilot worked: third-next-available appointment down from 14 to 4 days. Training "
        "the whole front desk on the new booking rules.",
        MON: "Everyone trained. Monthly KPI review in place: access, diabetes registry "
        "completeness and patient experience.",
        SUS: "Targets held for two quarters. The practice lead now runs the improvement huddle; "
        "coaching moves to quarterly check-ins.",
    },
    Sector.LAW: {
        NA: "Joined the network after the law society's practice-management webinar. "
        "Self-assessment sent to the managing lawyer.",
        PD: "Assessment complete. Weakest domains: file management, conflict checks and client "
        "communication. Drafting the support plan.",
        SE: "Plan agreed with the partners. Walking lawyers and staff through the changes to "
        "intake and conflict checks.",
        PILOT: "Piloting the new intake checklist and conflict-check workflow on all new files "
        "for a month.",
        TRAIN: "Pilot halved intake errors. Training all staff on the practice-management system "
        "and trust-accounting procedures.",
        MON: "Monthly review of file-closure times, trust reconciliations and client complaints "
        "in place.",
        SUS: "Improvements held for six months. The office manager owns the checklist reviews; "
        "support moves to twice-yearly check-ins.",
    },
}


def build(demo: DemoProgram) -> None:
    program = demo.program
    for index, spec in enumerate(PRACTICES[program.slug]):
        practice = Practice.objects.filter(name=spec.name).first()
        if practice is None:
            practice = _practice_create(demo, spec, index)
        demo.practices[spec.name] = practice
        for position, coach_key in enumerate(spec.coaches):
            _coach_assign(demo, practice, demo.people[coach_key], primary=position == 0)
        for member in spec.members:
            _member_join(demo, practice, spec, member)


def _practice_create(demo: DemoProgram, spec: PracticeSpec, index: int) -> Practice:
    """The practice at its stage, with the moves that brought it there on earlier dates.

    Rows are written directly rather than through practices.services because the history is
    back-dated: a service records a move as happening now."""
    reached = list(Stage.values)[: Stage.position(spec.stage)]
    pace = FIRST_INTAKE.get(spec.name, 1)
    # Walk back from the latest move; a small per-practice offset keeps the dates from lining up.
    moved_at = [demo.ago(spec.days_in_stage)]
    for stage in reversed(reached[:-1]):
        days = STAGE_DAYS[stage] * (pace if stage != MON else 1)
        moved_at.insert(0, moved_at[0] - timedelta(days=days + (index * 5) % 9))
    practice = Practice.objects.create(
        name=spec.name,
        sector=demo.program.sector,
        specialty=spec.specialty,
        professionals_count=spec.professionals,
        staff_count=spec.support_staff,
        region=spec.region,
        address=spec.address,
        contact_name=spec.contact,
        contact_email=_email(spec.contact, spec.domain),
        contact_phone=spec.phone,
        stage=spec.stage,
        stage_changed_at=moved_at[-1],
        enrolled_on=moved_at[0].date(),
    )
    notes = STAGE_NOTES[demo.program.sector]
    coach = demo.people[spec.coaches[0]]
    admin = demo.people["admin"]
    for number, (stage, when) in enumerate(zip(reached, moved_at, strict=True)):
        # The admin enrols practices and signs off sustainability; coaches move the rest.
        moved_by = admin if stage in (NA, SUS) else coach
        StageChange.objects.create(
            practice=practice,
            from_stage=reached[number - 1] if number else "",
            to_stage=stage,
            moved_by=moved_by,
            moved_at=when,
            note=notes[stage],
        )
    demo.created["practices"] += 1
    demo.created["stage changes"] += len(reached)
    return practice


def _coach_assign(demo: DemoProgram, practice: Practice, coach, *, primary: bool) -> None:
    _, created = CoachAssignment.objects.get_or_create(
        practice=practice,
        coach=coach,
        defaults={
            "is_primary": primary,
            "assigned_by": demo.people["admin"],
            # Coaches are assigned a few days after enrolment.
            "assigned_at": min(
                demo.now, _as_datetime(practice.enrolled_on, demo) + timedelta(days=3)
            ),
        },
    )
    if created:
        demo.created["coach assignments"] += 1


def _member_join(demo: DemoProgram, practice: Practice, spec: PracticeSpec, member: Member):
    user = person(
        demo,
        email=_email(member.full_name, spec.domain),
        full_name=member.full_name,
        job_title=member.title,
    )
    membership_join(demo, user, ProgramRole.PRACTICE)
    _, created = PracticeMembership.objects.get_or_create(
        practice=practice, user=user, defaults={"role": member.role, "title": member.title}
    )
    if created:
        demo.created["practice memberships"] += 1
    demo.login(user, f"{PracticeRole(member.role).label}, {practice.name}")


def _email(full_name: str, domain: str) -> str:
    """'Dr. Helen Park' at riverside-fht.example.org -> helen.park@riverside-fht.example.org."""
    words = [w for w in full_name.replace("'", "").split() if w.rstrip(".") not in {"Dr"}]
    return f"{'.'.join(words).lower()}@{domain}"


def _as_datetime(day, demo: DemoProgram) -> datetime:
    return datetime.combine(day, demo.now.timetz())
