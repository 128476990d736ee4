"""What every demo module shares: the demo password and TOTP secret, people, and the context
one program's demo data is built in."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password

from psp.accounts.models import User

# Documented in README.md. Every demo login uses this password.
DEMO_PASSWORD = "psp-demo-password"
# Program admins must use TOTP; theirs is this fixed secret (base32), so an authenticator app or
# `manage.py demo_totp_code <email>` can produce their code. Demo data only, never production.
DEMO_TOTP_SECRET = "PSPDEMOTOTPSECRETFORDEMOADMINS23"


@dataclass
class Login:
    email: str
    name: str
    role: str  # e.g. "Coach", "Practice lead, Riverside Family Health Team"
    program: str
    totp: bool = False


@dataclass
class DemoProgram:
    """One program being seeded: the builders read what earlier builders left here."""

    program: object
    now: datetime
    password_hash: str
    people: dict[str, User] = field(default_factory=dict)  # key in the people table -> user
    practices: dict[str, object] = field(default_factory=dict)  # practice name -> practice
    logins: list[Login] = field(default_factory=list)
    # The logged visits this run created (visits.LoggedVisit): actions and feedback hang off them.
    visits: list = field(default_factory=list)
    created: Counter = field(default_factory=Counter)

    def ago(self, days: int) -> datetime:
        return self.now - timedelta(days=days)

    def login(self, user, role: str, *, totp: bool = False) -> None:
        self.logins.append(Login(user.email, user.full_name, role, self.program.name, totp))


def demo_password_hash() -> str:
    # Hashed once per run and shared: hashing per person would make the first `make run` slow.
    return make_password(DEMO_PASSWORD)


def person(demo: DemoProgram, *, email: str, full_name: str, job_title: str = "") -> User:
    """The demo person with this email, created with the demo password if missing.

    An existing person is left as they are (their password may have been changed on purpose)."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"full_name": full_name, "job_title": job_title, "password": demo.password_hash},
    )
    if created:
        demo.created["people"] += 1
        # allauth looks people up by their verified address, as if they had accepted an invitation.
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return user


def give_demo_totp(demo: DemoProgram, user) -> None:
    """Turn on TOTP with the documented demo secret (admins are sent to MFA set-up without it)."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
        demo.created["TOTP authenticators"] += 1


def one_page_pdf(lines: list[str]) -> bytes:
    """A real, valid one-page PDF of a few lines of text (the first as a heading), written out by
    hand, for the demo's evidence files: they open in any viewer."""
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
    return body.encode("latin-1")


def _pdf_text(line: str) -> str:
    plain = line.encode("latin-1", "replace").decode("latin-1")
    return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
