"""Reading CPD schemes, their versions, the people they apply to and the program's verifiers,
joined for their pages and endpoints so the query count does not grow with the data."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from cpd.schemes import describe
from cpd.schemes.cycles import PROGRAM_ROLES, active_schemes, matching_scheme
from cpd.schemes.models import CpdScheme, CpdSchemeMember, CpdSchemeVersion, CpdVerifier
from cpd.schemes.rules import Rules
from practices.models import PracticeMembership
from psp.tenancy.models import ProgramMembership, ProgramRole
from psp.tenancy.permissions import Capability

PEOPLE_SHOWN = 100


def scheme_list() -> QuerySet[CpdScheme]:
    """The program's schemes by name, each with its current version, its open cycles and the
    people chosen for it by hand."""
    return (
        CpdScheme.objects.select_related("current_version")
        .annotate(
            open_cycles=Count("cycles", filter=Q(cycles__status="open"), distinct=True),
            people_chosen=Count("members", distinct=True),
        )
        .order_by("name", "pk")
    )


def schemes_in_program() -> QuerySet[CpdScheme]:
    return CpdScheme.objects.all()


@dataclass(frozen=True)
class VersionRow:
    version: CpdSchemeVersion
    changes: list[str]  # what changed from the version before (none for the first)
    summary: str


def version_history(*, scheme: CpdScheme) -> list[VersionRow]:
    """The scheme's versions, newest first, each with what changed from the one before and how
    many cycles run under it (one query)."""
    versions = list(
        CpdSchemeVersion.objects.filter(scheme=scheme)
        .select_related("created_by")
        .annotate(cycle_count=Count("cycles"))
        .order_by("number")
    )
    rows, before = [], None
    for version in versions:
        rules = Rules.parse(version.rules)
        changes = describe.changes(before, rules) if before else []
        rows.append(VersionRow(version, changes, describe.summary(rules)))
        before = rules
    return rows[::-1]


def versions_of(*, scheme: CpdScheme) -> QuerySet[CpdSchemeVersion]:
    return (
        CpdSchemeVersion.objects.filter(scheme=scheme)
        .select_related("created_by")
        .order_by("-number")
    )


@dataclass(frozen=True)
class PersonUnder:
    user: object
    how: str  # "chosen by hand", "Practice lead at Riverside", "Coach"


def _holders() -> tuple[dict, dict, dict]:
    """Everyone holding a program role or a practice role: {user id: user}, {user id: their
    (role, sector) pairs} and {user id: their roles in words}, in two queries."""
    users, pairs, how = {}, {}, {}
    program_roles = dict(ProgramRole.choices)
    for membership in ProgramMembership.objects.filter(
        is_active=True, role__in=PROGRAM_ROLES
    ).select_related("user", "program"):
        person = membership.user_id
        users[person] = membership.user
        pairs.setdefault(person, set()).add((membership.role, membership.program.sector))
        how.setdefault(person, []).append(program_roles[membership.role])
    for membership in PracticeMembership.objects.filter(is_active=True).select_related(
        "user", "practice"
    ):
        person, practice = membership.user_id, membership.practice
        users[person] = membership.user
        pairs.setdefault(person, set()).add((membership.role, practice.sector))
        how.setdefault(person, []).append(f"{membership.get_role_display()} at {practice.name}")
    return users, pairs, how


def people_under(*, scheme: CpdScheme) -> list[PersonUnder]:
    """The people whose scheme this is (a hand-picked scheme first, then the first scheme by name
    matching a role and sector of theirs, as `cycles.scheme_for` decides), by name, in a fixed
    number of queries."""
    schemes = active_schemes()
    if scheme.pk not in {s.pk for s in schemes}:
        return []
    picked: dict[int, set[int]] = {}
    for user_id, scheme_id in CpdSchemeMember.objects.values_list("user_id", "scheme_id"):
        picked.setdefault(user_id, set()).add(scheme_id)
    users, pairs, how = _holders()
    chosen = CpdSchemeMember.objects.filter(scheme=scheme).select_related("user")
    chosen = {member.user_id: member.user for member in chosen}
    found = []
    for user_id, user in (users | chosen).items():
        under = matching_scheme(schemes, picked.get(user_id, set()), pairs.get(user_id, set()))
        if under == scheme:
            reason = "Chosen by hand" if user_id in chosen else "; ".join(how[user_id])
            found.append(PersonUnder(user, reason))
    return sorted(found, key=lambda row: (row.user.full_name.lower(), row.user.email))


def people_to_choose() -> QuerySet[ProgramMembership]:
    """The program's active members, for choosing people by hand."""
    return (
        ProgramMembership.objects.filter(is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def chosen_people(*, scheme: CpdScheme) -> list:
    return [
        m.user
        for m in CpdSchemeMember.objects.filter(scheme=scheme)
        .select_related("user")
        .order_by("user__full_name")
    ]


def verifier_list() -> QuerySet[CpdVerifier]:
    return CpdVerifier.objects.select_related("user", "named_by").order_by(
        "user__full_name", "user__email"
    )


def verifier_candidates() -> QuerySet[ProgramMembership]:
    """Members who could be named verifiers: active, not admins (they verify anyway), not
    verifiers already."""
    return (
        ProgramMembership.objects.filter(is_active=True)
        .exclude(role=ProgramRole.ADMIN)
        .exclude(user_id__in=CpdVerifier.objects.values("user_id"))
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def may_verify(*, access) -> bool:
    """Whether the person may verify CPD activities: an admin, or someone an admin named."""
    if access.can(Capability.CPD_VERIFY):
        return True
    return CpdVerifier.objects.filter(user=access.user).exists()


def program_people() -> QuerySet:
    """Everyone with an active role in the program in scope: whom a scheme can be chosen for."""
    members = ProgramMembership.objects.filter(is_active=True).values("user_id")
    return get_user_model().objects.filter(is_active=True, pk__in=members)
