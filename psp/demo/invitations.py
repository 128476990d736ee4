"""Demo invitations still waiting for an answer: one into a program role, one into a practice."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings

from psp.accounts.models import Invitation, PracticeRole
from psp.demo.common import DemoProgram
from psp.demo.programs import LEGAL, NORTHERN
from psp.tenancy.models import ProgramRole


@dataclass(frozen=True)
class InvitationSpec:
    email: str
    role: str
    invited_by: str  # a key from psp/demo/people.py
    days_ago: int
    message: str
    practice: str = ""  # a practice name from psp/demo/practices.py
    practice_role: str = ""


INVITATIONS: dict[str, list[InvitationSpec]] = {
    NORTHERN: [
        InvitationSpec(
            "lucy.hart@northern-psp.example.org",
            ProgramRole.COACH,
            "admin",
            2,
            "Welcome aboard, Lucy: you will take over the Boreal East caseload from Tom.",
        ),
        InvitationSpec(
            "devon.price@riverside-fht.example.org",
            ProgramRole.PRACTICE,
            "admin",
            1,
            "Devon, please join so you can enter the monthly access numbers.",
            practice="Riverside Family Health Team",
            practice_role=PracticeRole.STAFF,
        ),
    ],
    LEGAL: [
        InvitationSpec(
            "owen.mcallister@legal-psp.example.org",
            ProgramRole.COACH,
            "admin",
            3,
            "Owen, this gives you access to the Eastside practices you will be advising.",
        ),
        InvitationSpec(
            "margaret.osei@valley-estates.example.org",
            ProgramRole.PRACTICE,
            "admin",
            4,
            "Margaret, please join to complete your practice self-assessment.",
            practice="Valley Estates and Wills",
            practice_role=PracticeRole.LEAD,
        ),
    ],
}


def build(demo: DemoProgram) -> None:
    for spec in INVITATIONS[demo.program.slug]:
        if Invitation.objects.filter(email=spec.email).exists():
            continue
        sent_at = demo.ago(spec.days_ago)
        Invitation.objects.create(
            email=spec.email,
            role=spec.role,
            practice=demo.practices[spec.practice] if spec.practice else None,
            practice_role=spec.practice_role,
            message=spec.message,
            # Nobody holds the link to a demo invitation: only its hash is ever stored.
            token_hash=Invitation.hash_token(secrets.token_urlsafe(32)),
            invited_by=demo.people[spec.invited_by],
            expires_at=sent_at + timedelta(days=settings.PSP_INVITATION_DAYS),
            sent_at=sent_at,
        )
        demo.created["pending invitations"] += 1
