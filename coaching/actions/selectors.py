"""Reads of actions for pages and the API: those of plans' goals and those agreed at visits, in
the lists people follow them up in, on the practice page and on their own page with history.
Limited to the practices whose plans the person may see, and joined with what each page shows.

An action belongs to a practice; most also to a plan goal, some (agreed at a visit) only to the
visit. Whoever sees a practice's plans sees its actions, wherever they came from."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from coaching.actions.models import ActionStatus, PlanAction
from coaching.plans.models import PlanStatus
from practices.models import CoachAssignment, PracticeMembership
from psp.tenancy.models import ProgramMembership, ProgramRole
from psp.tenancy.permissions import Capability

VIEW = Capability.PLAN_VIEW
OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
ACTION_SOURCES = ("plan", "visit")


def action_in_reach(*, access, pk) -> PlanAction:
    """An action (of a plan, or agreed at a visit) of a practice whose plans the person may see,
    with its plan, practice, goal, visit and owner; else DoesNotExist."""
    return (
        PlanAction.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related("practice", "plan__practice", "goal", "visit", "owner")
        .get(pk=pk)
    )


def action_list(*, access) -> QuerySet[PlanAction]:
    """Every action of the practices whose plans the person may see (those of draft and
    completed plans too), with its practice, plan, goal, visit and owner."""
    return (
        PlanAction.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related("practice", "plan__practice", "goal", "visit", "owner")
        .order_by("plan", "goal__position", "goal", "position", "pk")
    )


def _in_play() -> Q:
    """Actions being followed up: those agreed at a visit without a plan, and those of the
    practice's active plan. (A draft's actions are proposals; a completed plan's are its
    record, on the plan's page.)"""
    return Q(plan__isnull=True) | Q(plan__status=PlanStatus.ACTIVE)


def followup_actions(
    *,
    access,
    practice_id=None,
    owner_id=None,
    statuses=OPEN_ACTION_STATUSES,
    overdue: bool = False,
    source: str | None = None,
    today: date | None = None,
) -> QuerySet[PlanAction]:
    """The actions lists: actions in play (see `_in_play`) of the practices in reach, soonest
    due first (undated last), each with its practice, plan, goal, visit and owner.

    `statuses` empty means any status; `overdue` keeps open or in-progress actions past their
    due date; `source` is "plan" (the plan's own actions) or "visit" (agreed at a visit)."""
    queryset = PlanAction.objects.filter(access.practice_filter(VIEW, "practice_id")).filter(
        _in_play()
    )
    if practice_id is not None:
        queryset = queryset.filter(practice_id=practice_id)
    if owner_id is not None:
        queryset = queryset.filter(owner_id=owner_id)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if overdue:
        queryset = queryset.filter(
            status__in=OPEN_ACTION_STATUSES, due_on__lt=today or timezone.localdate()
        )
    if source == "visit":
        queryset = queryset.filter(visit__isnull=False)
    elif source == "plan":
        queryset = queryset.filter(visit__isnull=True)
    return queryset.select_related("practice", "plan", "goal", "visit", "owner").order_by(
        F("due_on").asc(nulls_last=True), "practice__name", "pk"
    )


# The program's list, by practice or by coach -------------------------------------------------


def with_practice_coach(queryset: QuerySet[PlanAction]) -> QuerySet[PlanAction]:
    """Each action with its practice's coach (the primary one, else the first by name):
    `coach_pk` and `coach_name`, in the same query. A practice with two coaches counts once,
    under its primary coach, so the groups of the program's list add up to the list."""
    coach = CoachAssignment.objects.filter(practice=OuterRef("practice_id")).order_by(
        "-is_primary", "coach__full_name", "pk"
    )
    name = Coalesce(NullIf("coach__full_name", Value("")), "coach__email", output_field=CharField())
    return queryset.annotate(
        coach_pk=Subquery(coach.values("coach_id")[:1]),
        coach_name=Subquery(coach.annotate(label=name).values("label")[:1]),
    )


# How the program's list is grouped: the page's `group` parameter -> the order of its rows.
GROUP_ORDER = {
    "practice": ("practice__name", "practice_id"),
    "coach": (F("coach_name").asc(nulls_last=True), "coach_pk", "practice__name", "practice_id"),
}


def grouped(queryset: QuerySet[PlanAction], group: str) -> QuerySet[PlanAction]:
    """The list in `group`'s order (see GROUP_ORDER), soonest due first within a group."""
    return queryset.order_by(*GROUP_ORDER[group], F("due_on").asc(nulls_last=True), "pk")


def group_counts(queryset: QuerySet[PlanAction], group: str) -> dict:
    """How many of the list's actions each group holds (practice or coach id -> count; None
    for practices without a coach). One query."""
    key = "practice_id" if group == "practice" else "coach_pk"
    rows = queryset.order_by().values(key).annotate(n=Count("pk")).values_list(key, "n")
    return dict(rows)


def overdue_count(queryset: QuerySet[PlanAction], today: date | None = None) -> int:
    """How many of a list's actions are overdue (one query)."""
    return queryset.filter(
        status__in=OPEN_ACTION_STATUSES, due_on__lt=today or timezone.localdate()
    ).count()


def action_owners(*, access, practice_id=None) -> QuerySet:
    """The people who own actions in play that the person may see (of one practice when
    given): the choices of the lists' "owner" filter."""
    owned = PlanAction.objects.filter(access.practice_filter(VIEW, "practice_id")).filter(
        _in_play(), owner__isnull=False
    )
    if practice_id is not None:
        owned = owned.filter(practice_id=practice_id)
    return (
        get_user_model()
        .objects.filter(pk__in=owned.values("owner_id"))
        .order_by("full_name", "email")
    )


def action_detail(*, access, pk) -> PlanAction:
    """One action in reach, with what its page shows about it; else DoesNotExist, the same for
    missing and out of reach. Its history is read through psp.history.selectors.history_of."""
    return (
        PlanAction.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related("practice", "plan", "goal", "visit", "owner", "created_by")
        .get(pk=pk)
    )


def actions_for_person(*, access, user, open_only: bool = True) -> QuerySet[PlanAction]:
    """`user`'s actions in play (of active plans, or agreed at visits) they may see, soonest
    due first."""
    return followup_actions(
        access=access, owner_id=user.pk, statuses=OPEN_ACTION_STATUSES if open_only else ()
    )


def is_overdue(action: PlanAction, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        action.status in OPEN_ACTION_STATUSES
        and action.due_on is not None
        and action.due_on < today
    )


def practice_actions_panel(*, access, practice, limit: int = 5) -> dict:
    """What the practice page shows about follow-up: how many actions are open and overdue,
    and the next `limit` due. Nothing for someone who may not see the practice's plans. Two
    queries."""
    if not access.can(VIEW, practice.pk):
        return {"visible": False}
    today = timezone.localdate()
    open_actions = followup_actions(access=access, practice_id=practice.pk)
    counts = open_actions.order_by().aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )
    upcoming = list(open_actions[:limit])
    for action in upcoming:
        action.overdue = is_overdue(action, today)
    return {
        "visible": True,
        "practice": practice,
        "open_count": counts["open"],
        "overdue_count": counts["overdue"],
        "upcoming": upcoming,
    }


# People -------------------------------------------------------------------------------------


def program_people() -> QuerySet:
    """Everyone with an active role in the program in scope."""
    members = ProgramMembership.objects.filter(is_active=True).values("user_id")
    return get_user_model().objects.filter(is_active=True, pk__in=members)


def owner_choices(*, practice) -> QuerySet:
    """Who may own an action of `practice`'s plan: its active leads and staff, and the program's
    admins and coaches (a practice's coaches are among them)."""
    staff = PracticeMembership.objects.filter(practice=practice, is_active=True).values("user_id")
    program_team = ProgramMembership.objects.filter(
        is_active=True, role__in=(ProgramRole.ADMIN, ProgramRole.COACH)
    ).values("user_id")
    return (
        get_user_model()
        .objects.filter(Q(pk__in=staff) | Q(pk__in=program_team), is_active=True)
        .order_by("full_name", "email")
    )
