"""What one person may do in one program: the matrix applied to their roles.

Built once per request (pages: middleware; API: the scoped viewset's permission) and asked
everywhere else. Practice-level roles and coach assignments live in the `practices` app; they are
read through the app registry so the core does not import a later app.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.db.models import Q

from psp.tenancy.models import ProgramMembership, ProgramRole
from psp.tenancy.permissions import MATRIX, ROLE_LABELS, Capability, Reach, Role


@dataclass
class ProgramAccess:
    program: object
    user: object
    membership: ProgramMembership
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def program_role(self) -> str:
        return self.membership.role

    @property
    def is_admin(self) -> bool:
        return self.membership.role == ProgramRole.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.membership.role == ProgramRole.MANAGER

    @property
    def is_coach(self) -> bool:
        return self.membership.role == ProgramRole.COACH

    @property
    def is_practice_member(self) -> bool:
        return self.membership.role == ProgramRole.PRACTICE

    @cached_property
    def practice_roles(self) -> dict[int, str]:
        """practice id -> "lead" | "staff" for the practices this person belongs to."""
        if not self.is_practice_member:
            return {}
        model = apps.get_model("practices", "PracticeMembership")
        # Filtered by this access's program too: in another program's scope, nothing.
        rows = model.objects.filter(
            program=self.program, user=self.user, is_active=True
        ).values_list("practice_id", "role")
        return dict(rows)

    @cached_property
    def assigned_practice_ids(self) -> frozenset[int]:
        if not self.is_coach:
            return frozenset()
        model = apps.get_model("practices", "CoachAssignment")
        return frozenset(
            model.objects.filter(program=self.program, coach=self.user).values_list(
                "practice_id", flat=True
            )
        )

    def roles(self) -> set[Role]:
        if self.is_practice_member:
            return {Role(role) for role in self.practice_roles.values()}
        return {Role(self.membership.role)}

    @property
    def role_label(self) -> str:
        """The role as it reads to people: "Coach", "Practice lead". A lead of one practice and
        staff of another reads as lead; a practice member without a practice as staff."""
        roles = self.roles()
        return next(
            (label for role, label in ROLE_LABELS.items() if role in roles), "Practice staff"
        )

    def own_practice_ids(self, capability: Capability) -> list[int]:
        """The practices, in id order, that the person's own practice roles or coach
        assignments give `capability` over (none for a program-wide holder's roles)."""
        return sorted(self._practice_ids(capability))

    def reaches(self, capability: Capability) -> set[Reach]:
        grants = MATRIX[capability]
        return {grants[role] for role in self.roles() if role in grants}

    def can(self, capability: Capability, practice_id: int | None = None) -> bool:
        """Without a practice: may the person do this anywhere? With one: on that practice?"""
        if practice_id is None:
            return bool(self.reaches(capability))
        if self._program_wide(capability):
            return True
        return practice_id in self._practice_ids(capability)

    def practice_filter(self, capability: Capability, field_name: str = "pk") -> Q:
        """A filter selecting the practices (or rows of practices) this capability reaches."""
        if self._program_wide(capability):
            return Q()
        return Q(**{f"{field_name}__in": sorted(self._practice_ids(capability))})

    def practice_ids(self, capability: Capability) -> frozenset[int] | None:
        """The practices this capability reaches, or None when it reaches the whole program."""
        if self._program_wide(capability):
            return None
        return frozenset(self._practice_ids(capability))

    def _program_wide(self, capability: Capability) -> bool:
        return Reach.PROGRAM in self.reaches(capability)

    def _practice_ids(self, capability: Capability) -> set[int]:
        grants = MATRIX[capability]
        ids: set[int] = set()
        if self.is_coach and grants.get(Role.COACH) == Reach.ASSIGNED:
            ids |= self.assigned_practice_ids
        for practice_id, role in self.practice_roles.items():
            if grants.get(Role(role)) == Reach.OWN:
                ids.add(practice_id)
        return ids


def access_for(*, program, user) -> ProgramAccess | None:
    """The person's access to `program`, or None when they hold no role in it.

    The membership is looked up in `program` itself, whatever program is in scope; the practice
    roles and coach assignments it reads later go through the scoped managers (filtered to
    `program` too), so use the access inside `program`'s scope."""
    if not user.is_authenticated:
        return None
    membership = (
        ProgramMembership.all_programs.filter(program=program, user=user, is_active=True)
        .select_related("user")
        .first()
    )
    if membership is None:
        return None
    return ProgramAccess(program=program, user=user, membership=membership)
