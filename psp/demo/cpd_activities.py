"""Demo CPD activities: two years of learning for each practice person (and coach) a scheme
applies to, written through the CPD services, in every status.

Most older activities are verified (by the admin or the manager, whom the schemes' demo named a
verifier) or self-reported; the last six weeks' wait in the verifier's queue; one was rejected
with a reason for its person to correct, and on one a verifier asked for the certificate. People
learn at different paces, so some are ahead of their scheme's pace and some behind. A program
workshop (a PSP offering) three weeks ago has drafts waiting for most of its attendees to confirm.

Dates and times are set back to when things would have happened (the services stamp "now").
Seeding again adds nothing twice: an activity is known by its person, title and start date, the
workshop by its title, and its attendees once each.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from cpd.activities import services
from cpd.models import ActivityStatus, CpdActivity, CpdOffering
from cpd.schemes.cycles import scheme_for
from cpd.schemes.rules import Rules
from practices.models import PracticeMembership
from psp.demo.common import DemoProgram
from psp.history.models import ChangeRecord, SubjectType
from psp.tenancy.models import ProgramMembership, ProgramRole, Sector


@dataclass(frozen=True)
class Learning:
    activity_type: str
    title: str
    provider: str
    reflection: dict = field(default_factory=dict)
    category: str = ""  # when the person's rules have it; else their credit rule's


PRIMARY_CARE = [
    Learning(
        "workshop",
        "Safer opioid prescribing in primary care",
        "College of family physicians",
        {
            "learned": "Taper plans work better with a review date agreed at the start.",
            "change": "Every long-term opioid patient gets a written taper plan this quarter.",
            "measure": "Patients on more than 90 MME, counted each month from the EHR.",
        },
    ),
    Learning(
        "course",
        "Type 2 diabetes: what changed in the guidelines",
        "Provincial diabetes network (online)",
        {
            "learned": "SGLT2 inhibitors earlier for patients with heart or kidney disease.",
            "change": "Flag eligible patients at their next review.",
        },
    ),
    Learning(
        "practice_audit",
        "Audit of INR monitoring for patients on warfarin",
        "Own practice",
        {
            "found": "31 of 40 patients had an INR in the last 6 weeks (78%, standard 90%).",
            "change": "A recall list run every Monday by the nurse.",
            "reaudit": "In three months; we expect 90% or more.",
        },
    ),
    Learning(
        "reading",
        "Journal club: deprescribing in older adults",
        "Practice journal club",
        {"learned": "STOPP criteria catch most risky combinations.", "apply": "Yes, at reviews."},
    ),
    Learning(
        "conference",
        "Family medicine forum",
        "College of family physicians",
        {
            "sessions": "Team-based care for complex patients; point-of-care ultrasound basics.",
            "change": "Trial a weekly huddle on our most complex patients.",
        },
    ),
    Learning(
        "seminar",
        "Webinar: managing long COVID in primary care",
        "Regional health authority",
        {"learned": "Pacing advice matters more than tests for most patients."},
    ),
    Learning(
        "mentoring_given",
        "Precepting a family medicine resident",
        "University department of family medicine",
        {"focus": "Chronic disease visits and documentation.", "learned": "Teaching sharpens."},
    ),
]

LAW = [
    Learning(
        "course",
        "Ethics: conflicts of interest in small firms",
        "Law society (online)",
        {
            "learned": "Conflict checks must cover former clients of every lawyer we hire.",
            "change": "Add former clients to the intake conflict search.",
        },
        category="ethics",
    ),
    Learning(
        "seminar",
        "Practice management: file retention and closing",
        "Bar association",
        {"learned": "Closed files can be scanned and destroyed after the retention period."},
        category="practice-management",
    ),
    Learning(
        "workshop",
        "Limitation periods: recent decisions",
        "Bar association",
        {
            "learned": "Discoverability is argued more often than it used to be.",
            "change": "Diarise a second limitation date for every new file.",
            "measure": "No missed dates in the quarterly file review.",
        },
    ),
    Learning(
        "reading",
        "Law review: solicitor negligence and the duty to warn",
        "Law review",
        {"learned": "Advice given in passing can still found a duty.", "apply": "Yes."},
    ),
    Learning(
        "mentoring_given",
        "Mentoring a first-year associate",
        "Own firm",
        {"focus": "Drafting demand letters and client reporting."},
    ),
    Learning(
        "conference",
        "Annual civil litigation conference",
        "Bar association",
        {"sessions": "Costs after settlement offers; evidence from social media."},
    ),
    Learning(
        "practice_audit",
        "Trust account spot check",
        "Own firm",
        {"found": "Two reconciliations were late by a week.", "change": "Monthly reminder."},
    ),
]

# How fast each person learns against their scheme's pace, in turn: some ahead, some behind.
PACES = (1.4, 1.0, 0.4, 1.15, 0.6, 1.25, 0.5)
PER_YEAR = 5  # activities a year
SPACING = 76  # days between two of them: ten over two years
RECENT_DAYS = 42  # what is newer waits in the verifier's queue
REJECTION = "The certificate shows 2 hours, not the hours recorded: correct them and send it again."
EVIDENCE = "Please attach the certificate of attendance, with the hours on it."


def build(demo: DemoProgram) -> None:
    program = demo.program
    admin = demo.people.get("admin")
    if admin is None:
        return
    verifiers = [admin, *([demo.people["manager"]] if "manager" in demo.people else [])]
    catalogue = LAW if program.sector == Sector.LAW else PRIMARY_CARE
    today = demo.now.date()
    for index, person in enumerate(_people()):
        scheme = scheme_for(person=person, on=today)
        if scheme is None or scheme.current_version_id is None:
            continue
        rules = Rules.parse(scheme.current_version.rules)
        _two_years(demo, person, rules, catalogue, index, verifiers)
    _workshop(demo, admin, catalogue)


def _people() -> list:
    """The practice people, then the coaches, each once, by name."""
    practice = PracticeMembership.objects.filter(is_active=True).select_related("user")
    coaches = ProgramMembership.objects.filter(role=ProgramRole.COACH, is_active=True)
    people = {m.user_id: m.user for m in practice.order_by("user__full_name", "pk")}
    for membership in coaches.select_related("user").order_by("user__full_name", "pk"):
        people.setdefault(membership.user_id, membership.user)
    return list(people.values())


def _amount(rules: Rules, learning: Learning, pace: float) -> dict | None:
    """Hours (or items) so that PER_YEAR activities a year make `pace` times the scheme's
    yearly pace; None for a type the person's scheme does not credit."""
    rule = rules.rule_for(learning.activity_type)
    if rule is None:
        return None
    yearly = rules.total / rules.cycle.years
    credits = Decimal(str(pace)) * yearly / PER_YEAR
    amount = credits / rule.rate
    if rule.per == "item":
        return {"items": max(1, int(amount.to_integral_value(ROUND_HALF_UP))), "hours": "1"}
    halves = (amount * 2).to_integral_value(ROUND_HALF_UP) / 2
    return {"hours": str(min(max(halves, Decimal("0.5")), Decimal("16")))}


def _two_years(demo, person, rules, catalogue, index, verifiers) -> None:
    pace = PACES[index % len(PACES)]
    today = demo.now.date()
    for k in range(2 * PER_YEAR):
        learning = catalogue[(index * 3 + k) % len(catalogue)]
        amount = _amount(rules, learning, pace)
        ended = today - timedelta(days=12 + k * SPACING + (index * 11) % 30)
        if (
            amount is None
            or CpdActivity.objects.filter(
                person=person, title=learning.title, ended_on=ended
            ).exists()
        ):
            continue
        category = learning.category if learning.category in rules.category_keys else ""
        # A long course or conference takes several days (7 hours a day at most).
        days = int(Decimal(amount["hours"]) // 7)
        data = {
            "activity_type": learning.activity_type,
            "title": learning.title,
            "provider": learning.provider,
            "started_on": ended - timedelta(days=days),
            "ended_on": ended,
            "category": category,
            "reflection": learning.reflection,
            **amount,
        }
        recent = (today - ended).days < RECENT_DAYS
        activity = services.activity_record(
            program=demo.program,
            by=person,
            data=data,
            submit=recent or k % 3 != 2,
            evidence=[certificate(person, learning, ended)] if k % 2 == 0 else [],
            today=today,
        )
        _decide(demo, activity, index, k, recent, verifiers[(index + k) % len(verifiers)])
        demo.created["CPD activities"] += 1


def certificate(person, learning: Learning, day) -> SimpleUploadedFile:
    """A one-page PDF certificate of attendance, written out by hand (a real, valid PDF: the
    demo's files open in any viewer)."""
    lines = [
        "Certificate of attendance",
        f"{person.full_name or person.email}",
        f"attended {learning.title}",
        f"{learning.provider}, {day.isoformat()}",
    ]
    text = " ".join(
        f"BT /F1 {18 if i == 0 else 12} Tf 72 {720 - 30 * i} Td ({_pdf_text(line)}) Tj ET"
        for i, line in enumerate(lines)
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
    ]
    body, offsets = "%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n{content}\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    body += "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    name = f"certificate-{day.isoformat()}.pdf"
    return SimpleUploadedFile(name, body.encode("latin-1"), content_type="application/pdf")


def _pdf_text(line: str) -> str:
    plain = line.encode("latin-1", "replace").decode("latin-1")
    return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _decide(demo, activity, index, k, recent, verifier) -> None:
    """Older submitted activities are decided; the first person's newest older one rejected and
    their newest asked for evidence (so one person finds both notices: psp/demo/
    cpd_notifications.py); recent ones wait."""
    program = demo.program
    if activity.status == ActivityStatus.SUBMITTED and not recent:
        if index == 0 and k == 1:
            services.activity_reject(
                program=program, activity=activity, by=verifier, reason=REJECTION
            )
        else:
            services.activity_verify(program=program, activity=activity, by=verifier)
    elif recent and index == 0 and k == 0:
        services.activity_request_evidence(
            program=program, activity=activity, by=verifier, message=EVIDENCE
        )
    _back_date(demo, activity)


def _back_date(demo, activity) -> None:
    """Set the activity's times, and its history's, to days after it ended."""
    ended = demo.now - timedelta(days=(demo.now.date() - activity.ended_on).days)
    when = {
        "cpd_activity.recorded": ended + timedelta(days=1),
        "cpd_activity.drafted": ended + timedelta(days=1),
        "cpd_activity.confirmed": ended + timedelta(days=3),
        "cpd_activity.submitted": ended + timedelta(days=1),
        "cpd_activity.evidence_requested": ended + timedelta(days=4),
        "cpd_activity.verified": ended + timedelta(days=9),
        "cpd_activity.rejected": ended + timedelta(days=9),
    }
    lines = ChangeRecord.objects.filter(
        subject_type=SubjectType.CPD_ACTIVITY, subject_id=activity.pk
    )
    for what, moment in when.items():
        lines.filter(what=what).update(changed_at=min(moment, demo.now))
    current = CpdActivity.objects.get(pk=activity.pk)
    CpdActivity.objects.filter(pk=activity.pk).update(
        created_at=min(when["cpd_activity.recorded"], demo.now),
        submitted_at=current.submitted_at and min(when["cpd_activity.submitted"], demo.now),
        verified_at=current.verified_at and min(when["cpd_activity.verified"], demo.now),
    )


def _workshop(demo, admin, catalogue) -> None:
    """A PSP workshop three weeks ago, its attendees (the people a scheme applies to, of the
    first practices) drafted an activity each; two of them confirmed theirs."""
    program = demo.program
    title = (
        "PSP workshop: running a practice audit that changes something"
        if program.sector != Sector.LAW
        else "PSP workshop: practice management for small firms"
    )
    offering = CpdOffering.objects.filter(title=title).first()
    if offering is None:
        offering = services.offering_create(
            program=program,
            by=admin,
            data={
                "title": title,
                "activity_type": "workshop",
                "provider": program.name,
                "description": "A half-day workshop run by the program's coaches.",
                "started_on": demo.now.date() - timedelta(days=21),
                "hours": Decimal("3"),
                "category": "",
            },
        )
        demo.created["CPD program activities"] += 1
    attendees = [p for p in _people() if scheme_for(person=p, on=demo.now.date())][:8]
    drafts = services.offering_add_attendees(
        program=program, offering=offering, by=admin, people=attendees, today=demo.now.date()
    )
    for position, draft in enumerate(drafts[:2]):
        services.activity_confirm(
            program=program, activity=draft, by=draft.person, submit=position == 1
        )
    demo.created["CPD drafts from the workshop"] += len(drafts)
    for draft in drafts:
        _back_date(demo, draft)
