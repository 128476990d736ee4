"""Reads of practices for pages and the API, limited to what the person may see and already
joined with what each page shows, so a page costs the same few queries however many rows it has.
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Min, OuterRef, Prefetch, Q, QuerySet, Subquery

from practices.models import CoachAssignment, Practice, PracticeMembership, Stage, StageChange
from psp.accounts.models import PracticeRole
from psp.tenancy.models import ProgramMembership, ProgramRole, Sector
from psp.tenancy.permissions import Capability

VIEW = Capability.PRACTICE_VIEW


def _with_coaches(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch(
            "coach_assignments",
            queryset=CoachAssignment.objects.select_related("coach"),
            to_attr="coach_list",
        )
    )


def practices_in_reach(*, access, capability: Capability = VIEW) -> QuerySet[Practice]:
    """The practices where the person holds `capability` (seeing them, by default), as they
    are: for looking up one named in input."""
    return Practice.objects.filter(access.practice_filter(capability))


def practice_list(
    *, access, sector=None, stage=None, coach_id=None, search=None
) -> QuerySet[Practice]:
    """The practices the person may see, filtered, with their coaches (as `coach_list`)."""
    queryset = practices_in_reach(access=access)
    if sector:
        queryset = queryset.filter(sector=sector)
    if stage:
        queryset = queryset.filter(stage=stage)
    if coach_id:
        queryset = queryset.filter(coach_assignments__coach_id=coach_id)
    if search:
        search = search.strip()
        queryset = queryset.filter(Q(name__icontains=search) | Q(region__icontains=search))
    return _with_coaches(queryset).order_by("name", "pk")


OPTIONS_SHOWN = 20


def practice_options(*, access, capability, text: str) -> QuerySet[Practice]:
    """What a practice search box offers for `text`: up to OPTIONS_SHOWN practices in reach
    (for `capability`) whose name contains each of its words, by name (the practices the list
    shows when the text is sent as `practice_name`); none for no text."""
    words = text[:200].split()
    if not words:
        return Practice.objects.none()
    queryset = Practice.objects.filter(access.practice_filter(capability))
    for word in words:
        queryset = queryset.filter(name__icontains=word)
    return queryset.only("pk", "name").order_by("name", "pk")[:OPTIONS_SHOWN]


def practice_detail(*, access, pk) -> Practice:
    """One practice the person may see, with staff, coaches and stage history; else DoesNotExist.

    Missing and out-of-reach practices raise the same way, so callers answer both with a 404."""
    queryset = practice_list(access=access).prefetch_related(
        Prefetch(
            "memberships",
            queryset=PracticeMembership.objects.filter(is_active=True)
            .select_related("user")
            .order_by("role", "user__full_name", "user__email"),
            to_attr="staff_list",
        ),
        Prefetch(
            "stage_changes",
            queryset=StageChange.objects.select_related("moved_by"),
            to_attr="history",
        ),
    )
    return queryset.get(pk=pk)


def practices_for_member(*, access) -> QuerySet[Practice]:
    """A practice lead's or staff member's own practices, with coaches and colleagues."""
    return practice_list(access=access).prefetch_related(
        Prefetch(
            "memberships",
            queryset=PracticeMembership.objects.filter(is_active=True)
            .select_related("user")
            .order_by("role", "user__full_name", "user__email"),
            to_attr="staff_list",
        )
    )


def practice_people(*, practice) -> QuerySet[PracticeMembership]:
    """The people of one practice, leads first, then by name, with their accounts."""
    return (
        PracticeMembership.objects.filter(practice=practice, is_active=True)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


def practices_by_stage(*, access, practices: QuerySet | None = None) -> list[dict]:
    """All seven stages in order, each with how many visible practices are in it (of
    `practices`, when given: a dashboard's filtered practices)."""
    visible = Practice.objects.filter(access.practice_filter(VIEW))
    if practices is not None:
        visible = visible.filter(pk__in=practices.values("pk"))
    counts = dict(visible.values_list("stage").annotate(n=Count("pk")).order_by())
    return [
        {"stage": value, "label": label, "position": i, "count": counts.get(value, 0)}
        for i, (value, label) in enumerate(Stage.choices, start=1)
    ]


def practices_by_sector(*, access) -> list[dict]:
    """The sectors that have visible practices, each with its count, largest first."""
    counts = (
        Practice.objects.filter(access.practice_filter(VIEW))
        .values_list("sector")
        .annotate(n=Count("pk"))
        .order_by()
    )
    labels = dict(Sector.choices)
    rows = [{"sector": s, "label": labels.get(s, s), "count": n} for s, n in counts]
    return sorted(rows, key=lambda row: (-row["count"], row["label"]))


def recent_stage_moves(*, access, limit: int = 8) -> QuerySet[StageChange]:
    """The latest moves between stages (not first enrolments) of practices the person may see."""
    return (
        StageChange.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .exclude(from_stage="")
        .select_related("practice", "moved_by")
        .order_by("-moved_at", "-pk")[:limit]
    )


def coach_caseload(*, access, coach) -> QuerySet[Practice]:
    """The practices assigned to `coach` that the asking person may see, longest in stage first."""
    return (
        practice_list(access=access, coach_id=coach.pk)
        .annotate(
            coached_since=Min(
                "coach_assignments__assigned_at", filter=Q(coach_assignments__coach=coach)
            )
        )
        .order_by("stage_changed_at", "name")
    )


def stage_history(*, practice) -> QuerySet[StageChange]:
    return StageChange.objects.filter(practice=practice).select_related("moved_by")


def program_coaches() -> QuerySet:
    """People holding the coach role in the program in scope."""
    coach_memberships = ProgramMembership.objects.filter(role=ProgramRole.COACH, is_active=True)
    return (
        get_user_model()
        .objects.filter(is_active=True, program_memberships__in=coach_memberships)
        .order_by("full_name", "email")
    )


def coach_choices_for(*, practice) -> QuerySet:
    """The program's coaches not yet assigned to `practice`."""
    return program_coaches().exclude(coach_assignments__practice=practice)


def coach_assignment_list(*, access) -> QuerySet[CoachAssignment]:
    return (
        CoachAssignment.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related("coach", "practice")
        .order_by("practice__name", "-is_primary", "coach__full_name", "pk")
    )


def practice_membership_list(*, access) -> QuerySet[PracticeMembership]:
    return (
        PracticeMembership.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related("user", "practice")
        .order_by("practice__name", "role", "user__full_name", "pk")
    )


# Who hears about a practice (the reminder rules of coaching and assessments) ----------------


def active_member_ids() -> QuerySet:
    """The ids of the people with an active role in the program in scope: a reminder goes to
    nobody else (someone whose role was taken away keeps their account, not their reminders)."""
    return ProgramMembership.objects.filter(is_active=True, user__is_active=True).values("user_id")


def leads_of(practice_ids) -> dict[int, list]:
    """practice id -> its active practice leads (people), by name. One query (none for no
    practices)."""
    if not practice_ids:
        return {}
    memberships = (
        PracticeMembership.objects.filter(
            practice_id__in=practice_ids,
            role=PracticeRole.LEAD,
            is_active=True,
            user_id__in=active_member_ids(),
        )
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    leads: dict[int, list] = {}
    for membership in memberships:
        leads.setdefault(membership.practice_id, []).append(membership.user)
    return leads


def coaches_of(practice_ids) -> dict[int, list]:
    """practice id -> its assigned coaches (people), primary first. One query (none for no
    practices)."""
    if not practice_ids:
        return {}
    assignments = (
        CoachAssignment.objects.filter(
            practice_id__in=practice_ids, coach_id__in=active_member_ids()
        )
        .select_related("coach")
        .order_by("-is_primary", "coach__full_name", "coach_id")
    )
    coaches: dict[int, list] = {}
    for assignment in assignments:
        coaches.setdefault(assignment.practice_id, []).append(assignment.coach)
    return coaches


def practice_groupings() -> QuerySet:
    """(id, sector, region, stage, primary coach's user id) of every practice of the program,
    for summaries broken down by group (the KPI refresh). One query; the primary coach is the
    most recently assigned primary one, or none."""
    primary = (
        CoachAssignment.objects.filter(practice=OuterRef("pk"), is_primary=True)
        .order_by("-assigned_at", "-pk")
        .values("coach_id")[:1]
    )
    return Practice.objects.order_by().values_list(
        "pk", "sector", "region", "stage", Subquery(primary)
    )


def practices_matching(
    *, access, sector=None, region=None, coach_id=None, stage=None
) -> QuerySet[Practice]:
    """The visible practices of a sector, region, primary coach and stage (each optional): the
    practices a dashboard's filters choose. No `access`: every practice of the program in scope
    (a program report, asked for by someone who reaches them all)."""
    practices = Practice.objects.all()
    if access is not None:
        practices = practices.filter(access.practice_filter(VIEW))
    if sector:
        practices = practices.filter(sector=sector)
    if region:
        practices = practices.filter(region=region)
    if stage:
        practices = practices.filter(stage=stage)
    if coach_id:
        practices = practices.filter(
            coach_assignments__coach_id=coach_id, coach_assignments__is_primary=True
        )
    return practices


def program_regions() -> list[str]:
    """The regions the program's practices are in, in order."""
    return list(
        Practice.objects.exclude(region="").values_list("region", flat=True).distinct().order_by()
    )
