"""Reads of facilitation visits for pages and the API: limited to the practices the person may
see visits of, and already joined with what each page shows, so a page costs the same few
queries however many visits, attendees, goals or edits there are. A visit's history is read
through psp.history.selectors.history_of, like every subject's."""

from datetime import date, timedelta

from django.db.models import Count, F, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from coaching.actions.models import PlanAction
from coaching.plans.models import GoalStatus, PlanGoal, PlanStatus
from coaching.visits.models import (
    Activity,
    Visit,
    VisitActivity,
    VisitAttendee,
    VisitGoal,
    VisitMode,
    VisitStatus,
)
from practices.models import Practice, PracticeMembership
from psp.history.models import ChangeRecord, SubjectType
from psp.tenancy.permissions import Capability

VIEW, LOG = Capability.VISIT_VIEW, Capability.VISIT_LOG

# How far ahead the coach's home looks for planned visits, and how long a planned visit whose
# day has passed keeps showing there (until it is completed or cancelled).
UPCOMING_DAYS = 14
OVERDUE_DAYS = 30
PANEL_TOTAL_DAYS = 90
PANEL_RECENT = 5
PANEL_UPCOMING = 3

NEWEST_FIRST = (F("visit_date").desc(), F("start_time").desc(nulls_last=True), F("pk").desc())
SOONEST_FIRST = (F("visit_date").asc(), F("start_time").asc(nulls_first=True), F("pk").asc())


# Visits -------------------------------------------------------------------------------------


def visit_list(
    *,
    access,
    practice_id=None,
    coach_id=None,
    mode=None,
    status=None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Visit]:
    """The visits the person may see (any status), newest first, with practice and coach."""
    queryset = Visit.objects.filter(access.practice_filter(VIEW, "practice_id"))
    if practice_id:
        queryset = queryset.filter(practice_id=practice_id)
    if coach_id:
        queryset = queryset.filter(coach_id=coach_id)
    if mode:
        queryset = queryset.filter(mode=mode)
    if status:
        queryset = queryset.filter(status=status)
    if date_from:
        queryset = queryset.filter(visit_date__gte=date_from)
    if date_to:
        queryset = queryset.filter(visit_date__lte=date_to)
    return queryset.select_related("practice", "coach").order_by(*NEWEST_FIRST)


def visits_in_full(*, access) -> QuerySet[Visit]:
    """The visits the person may see, each with everything its page shows: `activity_list`,
    `attendee_list` (with the person), `goal_list` (links with goal and plan), `action_list`
    (actions agreed at it, with owner) and `edit_count` (its lines of history)."""
    actions = PlanAction.objects.select_related("owner", "goal").order_by("position", "pk")
    edits = (
        ChangeRecord.objects.filter(subject_type=SubjectType.VISIT, subject_id=OuterRef("pk"))
        .order_by()
        .values("subject_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Visit.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related("practice", "coach", "cancelled_by", "created_by", "updated_by")
        .annotate(edit_count=Coalesce(Subquery(edits), 0))
        .prefetch_related(
            Prefetch("activities", queryset=VisitActivity.objects.all(), to_attr="activity_list"),
            Prefetch(
                "attendees",
                queryset=VisitAttendee.objects.select_related("person").order_by(
                    "person__full_name", "person__email", "pk"
                ),
                to_attr="attendee_list",
            ),
            Prefetch(
                "goal_links",
                queryset=VisitGoal.objects.select_related("goal__plan__program").order_by(
                    "goal__plan", "goal__position", "pk"
                ),
                to_attr="goal_list",
            ),
            Prefetch("new_actions", queryset=actions, to_attr="action_list"),
        )
    )


def visit_detail(*, access, pk) -> Visit:
    """One visit the person may see, in full (see `visits_in_full`); else DoesNotExist, the
    same for a visit that is missing and one out of reach."""
    return visits_in_full(access=access).get(pk=pk)


def visit_in_reach(*, access, pk) -> Visit:
    """A visit the person may see, with its practice and coach; for pages that act on it."""
    return (
        Visit.objects.filter(access.practice_filter(VIEW, "practice_id"))
        .select_related("practice", "coach")
        .get(pk=pk)
    )


def sent_before(*, key) -> bool:
    """Has a visit already been made by a form sent with this one-time key?"""
    return key is not None and Visit.objects.filter(submission_key=key).exists()


def planned_visit_list(*, access, **filters) -> QuerySet[Visit]:
    """Planned visits the person may see, soonest first."""
    filters["status"] = VisitStatus.PLANNED
    return visit_list(access=access, **filters).order_by(*SOONEST_FIRST)


def activity_rows(visit: Visit) -> list[dict]:
    """The visit's minutes by activity in the activities' own order, each with its share of
    the duration in steps of 5 (the CSS bar widths: no inline styles under the CSP)."""
    minutes = {row.activity: row.minutes for row in visit.activity_list}
    total = sum(minutes.values()) or 1
    return [
        {
            "activity": value,
            "label": label,
            "minutes": minutes[value],
            "pct": max(5, round(minutes[value] / total * 20) * 5),
        }
        for value, label in Activity.choices
        if minutes.get(value)
    ]


# History ------------------------------------------------------------------------------------


def visit_snapshot(visit: Visit) -> dict:
    """A visit as it stands: its fields, minutes by activity, attendees (ids and names) and
    goals (ids and titles). An edit compares the snapshots before and after it
    (coaching/visits/history.py)."""
    attendees = VisitAttendee.objects.filter(visit=visit).select_related("person")
    goals = VisitGoal.objects.filter(visit=visit).select_related("goal")
    return {
        "status": visit.status,
        "visit_date": visit.visit_date.isoformat() if visit.visit_date else None,
        "start_time": visit.start_time.strftime("%H:%M") if visit.start_time else None,
        "mode": visit.mode,
        "duration_minutes": visit.duration_minutes,
        "travel_minutes": visit.travel_minutes,
        "other_attendees": visit.other_attendees,
        "purpose": visit.purpose,
        "notes": visit.notes,
        "activities": dict(
            VisitActivity.objects.filter(visit=visit)
            .order_by("activity")
            .values_list("activity", "minutes")
        ),
        "attendees": [{"id": row.person_id, "name": str(row.person)} for row in attendees],
        "goals": [{"id": row.goal_id, "title": row.goal.title} for row in goals],
    }


# The log form -------------------------------------------------------------------------------


def caseload_practices(*, access) -> QuerySet[Practice]:
    """The practices the person logs visits for (a coach's assigned practices), by name."""
    return Practice.objects.filter(access.practice_filter(LOG)).order_by("name", "pk")


def practice_people(*, practice_id) -> list:
    """The practice's active leads and staff, by name: who may attend a visit and own the
    actions agreed at it."""
    memberships = (
        PracticeMembership.objects.filter(practice_id=practice_id, is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email", "pk")
    )
    return [membership.user for membership in memberships if membership.user.is_active]


def open_goals_of(*, practice_id) -> list[PlanGoal]:
    """The open goals of the practice's active plan, in plan order: what a visit works on."""
    return list(
        PlanGoal.objects.filter(
            plan__practice_id=practice_id,
            plan__status=PlanStatus.ACTIVE,
            status=GoalStatus.OPEN,
        )
        .select_related("plan")
        .order_by("plan", "position", "pk")
    )


def last_mode(*, coach) -> str:
    """The mode of the coach's last logged visit (the form's default), else on-site."""
    mode = (
        Visit.objects.filter(coach=coach, status=VisitStatus.LOGGED)
        .order_by("-logged_at", "-pk")
        .values_list("mode", flat=True)
        .first()
    )
    return mode or VisitMode.ON_SITE


# Panels on other pages ----------------------------------------------------------------------


def practice_visit_panel(*, access, practice, today: date | None = None) -> dict:
    """What the practice page shows about visits: the next planned ones (and any whose day
    passed without being logged), the last five logged, and the visits and hours of the last
    90 days. Hidden from people who may not see the practice's visits. Three queries."""
    if access is None or not access.can(VIEW, practice.pk):
        return {"visible": False}
    today = today or timezone.localdate()
    visits = Visit.objects.filter(practice_id=practice.pk).select_related("practice", "coach")
    upcoming = list(
        visits.filter(
            status=VisitStatus.PLANNED, visit_date__gte=today - timedelta(days=OVERDUE_DAYS)
        ).order_by(*SOONEST_FIRST)[:PANEL_UPCOMING]
    )
    recent = list(visits.filter(status=VisitStatus.LOGGED).order_by(*NEWEST_FIRST)[:PANEL_RECENT])
    totals = Visit.objects.filter(
        practice_id=practice.pk,
        status=VisitStatus.LOGGED,
        visit_date__gt=today - timedelta(days=PANEL_TOTAL_DAYS),
        visit_date__lte=today,
    ).aggregate(count=Count("pk"), minutes=Sum("duration_minutes"))
    can_log = access.can(LOG, practice.pk)
    for visit in upcoming:
        visit.overdue = visit.visit_date < today
        visit.can_act = can_log and visit.coach_id == access.user.pk
    return {
        "visible": True,
        "practice": practice,
        "upcoming": upcoming,
        "recent": recent,
        "count": totals["count"] or 0,
        "hours": round((totals["minutes"] or 0) / 60, 1),
        "days": PANEL_TOTAL_DAYS,
        "can_log": can_log,
    }


def upcoming_for_coach(*, access, coach, today: date | None = None) -> list[Visit]:
    """The coach's planned visits of the next 14 days, soonest first, and those whose day
    passed in the last 30 without being completed or cancelled (marked `overdue`). One query."""
    today = today or timezone.localdate()
    visits = list(
        Visit.objects.filter(
            access.practice_filter(VIEW, "practice_id"),
            coach=coach,
            status=VisitStatus.PLANNED,
            visit_date__gte=today - timedelta(days=OVERDUE_DAYS),
            visit_date__lte=today + timedelta(days=UPCOMING_DAYS),
        )
        .select_related("practice")
        .order_by(*SOONEST_FIRST)
    )
    for visit in visits:
        visit.overdue = visit.visit_date < today
        visit.can_act = access.can(LOG, visit.practice_id) and visit.coach_id == coach.pk
    return visits


def logged_visits_by_month(*, practices: QuerySet, first: date, last: date) -> dict:
    """Logged visits to `practices` per month from `first` to `last`: month's first day ->
    count (months without visits are absent). Read by dashboards to mark bursts of support."""
    rows = (
        Visit.objects.filter(
            practice__in=practices.values("pk"),
            status=VisitStatus.LOGGED,
            visit_date__gte=first,
            visit_date__lte=last,
        )
        .annotate(month=TruncMonth("visit_date"))
        .values_list("month")
        .annotate(n=Count("*"))
        .order_by()
    )
    return dict(rows)
