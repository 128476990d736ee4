"""Demo CPD schemes: each demo program loads the scheme templates that fit its sector, applied to
its practice leads and staff, and names its program manager a verifier. The primary care program
also loads the specialist template, chosen by hand for one physician lead, so the demo shows a
person under a scheme other than their role's.

Called once per program by seed_demo inside the program's scope, after the people and practices
exist. Loading leaves a scheme of the template's code as it is, and the rest is set only on the
schemes this run loaded, so seeding again creates nothing and keeps an admin's edits."""

from cpd.schemes.models import CpdVerifier
from cpd.schemes.packs import templates_for_sector
from cpd.schemes.services import scheme_load_template, scheme_set_applies_to, verifier_name
from practices.models import PracticeMembership
from psp.accounts.models import PracticeRole
from psp.demo.common import DemoProgram
from psp.tenancy.models import Sector

# The templates each sector's demo program loads: the first applies by role, the others to
# people chosen by hand.
DEMO_TEMPLATES = {
    Sector.PRIMARY_CARE: ("family-medicine", "specialist"),
    Sector.LAW: ("law-society",),
    Sector.EDUCATION: ("teaching",),
}


def build(demo: DemoProgram) -> None:
    program = demo.program
    by = demo.people.get("admin")
    keys = DEMO_TEMPLATES.get(program.sector) or tuple(
        t.key for t in templates_for_sector(program.sector)[:1]
    )
    for position, key in enumerate(keys):
        scheme, made = scheme_load_template(program=program, key=key, by=by)
        if not made:
            continue
        demo.created["CPD schemes"] += 1
        if position > 0:
            _choose_a_lead(demo, scheme, by)
    manager = demo.people.get("manager")
    if manager is not None and not CpdVerifier.objects.filter(user=manager).exists():
        verifier_name(program=program, user=manager, by=by)
        demo.created["CPD verifiers"] += 1


def _choose_a_lead(demo: DemoProgram, scheme, by) -> None:
    """The scheme applies only to one practice lead, chosen by hand (the first by name)."""
    lead = (
        PracticeMembership.objects.filter(role=PracticeRole.LEAD, is_active=True)
        .select_related("user")
        .order_by("user__full_name", "pk")
        .first()
    )
    scheme_set_applies_to(
        program=demo.program,
        scheme=scheme,
        by=by,
        roles=[],
        sectors=[],
        people=[lead.user] if lead else [],
    )
