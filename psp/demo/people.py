"""Demo people with program roles: an admin, a manager and coaches in each program.

Sam Rivera holds a role in both programs (coach in one, manager in the other), so the demo shows
the program switcher. Practice leads and staff belong to practices: see psp/demo/practices.py.
"""

from dataclasses import dataclass

from psp.demo.common import DemoProgram, give_demo_totp, person
from psp.demo.programs import LEGAL, NORTHERN
from psp.tenancy.models import ProgramMembership, ProgramRole


@dataclass(frozen=True)
class TeamMember:
    key: str  # how practices.py and invitations.py refer to this person
    full_name: str
    email: str
    job_title: str
    role: str


SWITCHER_EMAIL = "sam.rivera@example.org"

TEAMS: dict[str, list[TeamMember]] = {
    NORTHERN: [
        TeamMember(
            "admin",
            "Priya Natarajan",
            "priya.natarajan@northern-psp.example.org",
            "Program director",
            ProgramRole.ADMIN,
        ),
        TeamMember(
            "manager",
            "Marcus Bell",
            "marcus.bell@northern-psp.example.org",
            "Program manager",
            ProgramRole.MANAGER,
        ),
        TeamMember(
            "aisha",
            "Aisha Mensah",
            "aisha.mensah@northern-psp.example.org",
            "Practice facilitator",
            ProgramRole.COACH,
        ),
        TeamMember(
            "tom",
            "Tom Whitfield",
            "tom.whitfield@northern-psp.example.org",
            "Practice facilitator",
            ProgramRole.COACH,
        ),
        TeamMember(
            "sam",
            "Sam Rivera",
            SWITCHER_EMAIL,
            "Practice improvement consultant",
            ProgramRole.COACH,
        ),
    ],
    LEGAL: [
        TeamMember(
            "admin",
            "Eleanor Brooks",
            "eleanor.brooks@legal-psp.example.org",
            "Network director",
            ProgramRole.ADMIN,
        ),
        TeamMember(
            "manager",
            "Sam Rivera",
            SWITCHER_EMAIL,
            "Practice improvement consultant",
            ProgramRole.MANAGER,
        ),
        TeamMember(
            "daniel",
            "Daniel Cho",
            "daniel.cho@legal-psp.example.org",
            "Practice management advisor",
            ProgramRole.COACH,
        ),
        TeamMember(
            "fatima",
            "Fatima Haddad",
            "fatima.haddad@legal-psp.example.org",
            "Practice management advisor",
            ProgramRole.COACH,
        ),
    ],
}


def build(demo: DemoProgram) -> None:
    for member in TEAMS[demo.program.slug]:
        user = person(
            demo, email=member.email, full_name=member.full_name, job_title=member.job_title
        )
        membership_join(demo, user, member.role)
        if member.role == ProgramRole.ADMIN:
            give_demo_totp(demo, user)
        demo.people[member.key] = user
        demo.login(user, ProgramRole(member.role).label, totp=member.role == ProgramRole.ADMIN)


def membership_join(demo: DemoProgram, user, role: str) -> ProgramMembership:
    """The person's role in the program in scope; an existing role is left as it is."""
    membership, created = ProgramMembership.objects.get_or_create(
        user=user, defaults={"role": role}
    )
    if created:
        demo.created["program roles"] += 1
    return membership
