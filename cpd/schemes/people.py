"""Who is under a CPD scheme, and which practice their CPD is filed under, for the whole program
at once (the CPD KPI measures count people per practice with it).

A person's scheme is the one `cycles.scheme_for` would find (a scheme picked for them by hand,
else the first active scheme by name matching one of their roles and sectors); their practice is
the one their activities are filed under (`activities.selectors.person_practice_id`: their first
active practice, a lead's role before a staff member's). Memberships carry no dates, so today's
roles decide, as they do for a person's scheme. People who hold only program roles (coaches,
admins) have no practice and are left out: a KPI value belongs to a practice.
"""

from collections import defaultdict
from dataclasses import dataclass

from cpd.schemes.cycles import PROGRAM_ROLES, active_schemes, matching_scheme
from cpd.schemes.models import CpdSchemeMember
from practices.models import PracticeMembership
from practices.selectors import active_member_ids
from psp.tenancy.models import ProgramMembership


@dataclass(frozen=True)
class FiledPerson:
    person_id: int
    practice_id: int
    scheme_id: int


def people_under_schemes() -> list[FiledPerson]:
    """Everyone with an active practice role and a scheme, with their practice and scheme, by
    person id. Four queries (one when the program has no active scheme)."""
    schemes = active_schemes()
    if not schemes:
        return []
    picked: dict[int, set[int]] = defaultdict(set)
    for user_id, scheme_id in CpdSchemeMember.objects.values_list("user_id", "scheme_id"):
        picked[user_id].add(scheme_id)
    pairs: dict[int, set[tuple[str, str]]] = defaultdict(set)
    program_roles = ProgramMembership.objects.filter(
        is_active=True, role__in=PROGRAM_ROLES
    ).values_list("user_id", "role", "program__sector")
    for user_id, role, sector in program_roles:
        pairs[user_id].add((role, sector))
    practice_of: dict[int, int] = {}
    practice_roles = (
        PracticeMembership.objects.filter(is_active=True, user_id__in=active_member_ids())
        .order_by("user_id", "role", "pk")
        .values_list("user_id", "role", "practice_id", "practice__sector")
    )
    for user_id, role, practice_id, sector in practice_roles:
        pairs[user_id].add((role, sector))
        practice_of.setdefault(user_id, practice_id)
    filed = []
    for user_id in sorted(practice_of):
        scheme = matching_scheme(schemes, picked[user_id], pairs[user_id])
        if scheme is not None:
            filed.append(FiledPerson(user_id, practice_of[user_id], scheme.pk))
    return filed
