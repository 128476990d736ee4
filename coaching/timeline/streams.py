"""The streams a practice's timeline merges, one query each: visits; stage changes; assessments
opened and submitted; plans drafted, accepted and completed; actions added and moved. Each gives
the entries after the page's cursor, within its period, one more than the page holds (so the
page knows whether there is an older one)."""

from collections.abc import Callable
from datetime import datetime

from django.db.models import Q, QuerySet, TimeField, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from assessments.rounds import for_plans
from coaching.actions.models import ActionStatusChange, PlanAction
from coaching.plans.models import PlanStatus, SupportPlan
from coaching.timeline.entries import MIDNIGHT, Bounds, Cursor, Entry
from coaching.visits.models import Visit, VisitStatus
from practices.models import StageChange


def _url(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs)


def _name(user) -> str:
    return str(user) if user is not None else ""


# Streams over a datetime field ----------------------------------------------------------------


def _after_cursor(field_name: str, stream: int, cursor: Cursor | None) -> Q:
    """Rows that come after the cursor in newest-first order of (time, stream, id)."""
    if cursor is None:
        return Q()
    if stream < cursor.stream:
        return Q(**{f"{field_name}__lte": cursor.when})
    if stream > cursor.stream:
        return Q(**{f"{field_name}__lt": cursor.when})
    return Q(**{f"{field_name}__lt": cursor.when}) | Q(
        **{field_name: cursor.when, "pk__lt": cursor.pk}
    )


def _page(queryset: QuerySet, field_name: str, stream: int, bounds: Bounds) -> QuerySet:
    queryset = queryset.filter(
        _after_cursor(field_name, stream, bounds.cursor), **{f"{field_name}__isnull": False}
    )
    if bounds.since is not None:
        queryset = queryset.filter(**{f"{field_name}__gte": bounds.since})
    if bounds.until is not None:
        queryset = queryset.filter(**{f"{field_name}__lt": bounds.until})
    return queryset.order_by(f"-{field_name}", "-pk")[: bounds.limit + 1]


# Visits: their time is a date and an optional start time -------------------------------------


VISIT_BADGES = {
    VisitStatus.LOGGED: "badge--success",
    VisitStatus.PLANNED: "badge--accent",
    VisitStatus.CANCELLED: "badge--danger",
}


def _visit_after_cursor(stream: int, cursor: Cursor | None) -> Q:
    if cursor is None:
        return Q()
    local = timezone.localtime(cursor.when)
    day, moment = local.date(), local.time().replace(tzinfo=None)
    earlier = Q(visit_date__lt=day) | Q(visit_date=day, starts__lt=moment)
    same = Q(visit_date=day, starts=moment)
    if stream < cursor.stream:
        return earlier | same
    if stream > cursor.stream:
        return earlier
    return earlier | (same & Q(pk__lt=cursor.pk))


def _visits(practice, bounds: Bounds, slug: str, stream: int) -> list[Entry]:
    queryset = (
        Visit.objects.filter(practice=practice)
        .annotate(starts=Coalesce("start_time", Value(MIDNIGHT, output_field=TimeField())))
        .filter(_visit_after_cursor(stream, bounds.cursor))
        .select_related("coach")
    )
    if bounds.since is not None:
        queryset = queryset.filter(visit_date__gte=timezone.localtime(bounds.since).date())
    if bounds.until is not None:
        queryset = queryset.filter(visit_date__lt=timezone.localtime(bounds.until).date())
    rows = queryset.order_by("-visit_date", "-starts", "-pk")[: bounds.limit + 1]
    entries = []
    for visit in rows:
        minutes = f"{visit.duration_minutes} min"
        if visit.travel_minutes and visit.status == VisitStatus.LOGGED:
            minutes += f" (+{visit.travel_minutes} min travel)"
        summary = f"{visit.get_mode_display()} · {minutes}"
        if visit.purpose:
            summary += f" · {visit.purpose}"
        title = {
            VisitStatus.LOGGED: "Visit logged",
            VisitStatus.PLANNED: "Visit planned",
            VisitStatus.CANCELLED: "Visit cancelled",
        }.get(visit.status, "Visit")
        entries.append(
            Entry(
                when=timezone.make_aware(
                    datetime.combine(visit.visit_date, visit.start_time or MIDNIGHT)
                ),
                kind="visits",
                stream=stream,
                pk=visit.pk,
                title=title,
                summary=summary,
                who=_name(visit.coach),
                note=visit.cancel_reason if visit.status == VisitStatus.CANCELLED else "",
                url=_url("visits:detail", program=slug, pk=visit.pk),
                badge=visit.get_status_display(),
                badge_class=VISIT_BADGES.get(visit.status, ""),
                has_time=visit.start_time is not None,
            )
        )
    return entries


# The other streams ----------------------------------------------------------------------------


def _stage_changes(practice, bounds: Bounds, slug: str, stream: int) -> list[Entry]:
    rows = _page(
        StageChange.objects.filter(practice=practice).select_related("moved_by"),
        "moved_at",
        stream,
        bounds,
    )
    return [
        Entry(
            when=change.moved_at,
            kind="stages",
            stream=stream,
            pk=change.pk,
            title=(
                f"Moved from {change.get_from_stage_display()} to {change.get_to_stage_display()}"
                if change.from_stage
                else f"Enrolled at {change.get_to_stage_display()}"
            ),
            who=_name(change.moved_by),
            note=change.note,
        )
        for change in rows
    ]


def _assessments(field_name: str):
    def fetch(practice, bounds: Bounds, slug: str, stream: int) -> list[Entry]:
        submitted_only = field_name == "submitted_at"
        queryset = for_plans.practice_rounds(practice=practice, submitted_only=submitted_only)
        entries = []
        for assessment in _page(queryset, field_name, stream, bounds):
            instrument = assessment.version.instrument.name
            if field_name == "opened_at":
                title = f"{assessment.get_kind_display()} assessment opened"
                summary, who = instrument, assessment.opened_by
            else:
                title = f"{assessment.get_kind_display()} assessment submitted"
                score = assessment.overall_score
                summary = instrument + (f" · overall score {score}%" if score is not None else "")
                who = assessment.submitted_by
            entries.append(
                Entry(
                    when=getattr(assessment, field_name),
                    kind="assessments",
                    stream=stream,
                    pk=assessment.pk,
                    title=title,
                    summary=summary,
                    who=_name(who),
                    url=_url("assessments:detail", program=slug, pk=assessment.pk),
                )
            )
        return entries

    return fetch


PLAN_EVENTS = {
    "created_at": ("Support plan drafted", "created_by"),
    "accepted_at": ("Support plan accepted", "accepted_by"),
    "completed_at": ("Support plan completed", None),
}


def _plans(field_name: str):
    title, by = PLAN_EVENTS[field_name]

    def fetch(practice, bounds: Bounds, slug: str, stream: int) -> list[Entry]:
        queryset = SupportPlan.objects.filter(practice=practice).select_related(
            "created_by", "accepted_by"
        )
        return [
            Entry(
                when=getattr(plan, field_name),
                kind="plans",
                stream=stream,
                pk=plan.pk,
                title=f"{title}: {plan.title}",
                who=_name(getattr(plan, by)) if by else "",
                url=_url("plans:detail", program=slug, pk=plan.pk),
            )
            for plan in _page(queryset, field_name, stream, bounds)
        ]

    return fetch


# A draft's actions are proposals, shown as part of the draft; they enter the timeline once
# the plan is accepted (or, for an action agreed at a visit, straight away).
LIVE_ACTION = Q(plan__isnull=True) | ~Q(plan__status=PlanStatus.DRAFT)


def _action_url(action, slug: str) -> str:
    """An action's own page: its status history, and its plan goal or visit."""
    return _url("actions:detail", program=slug, pk=action.pk)


def _actions_added(practice, bounds: Bounds, slug: str, stream: int) -> list[Entry]:
    queryset = PlanAction.objects.filter(LIVE_ACTION, practice=practice).select_related(
        "owner", "created_by"
    )
    entries = []
    for action in _page(queryset, "created_at", stream, bounds):
        parts = [f"Owner: {action.owner}" if action.owner_id else "No owner yet"]
        if action.due_on:
            parts.append(f"due {action.due_on.day} {action.due_on:%b %Y}")
        entries.append(
            Entry(
                when=action.created_at,
                kind="actions",
                stream=stream,
                pk=action.pk,
                title=f"Action added: {action.title}",
                summary=" · ".join(parts),
                who=_name(action.created_by),
                url=_action_url(action, slug),
            )
        )
    return entries


def _actions_moved(practice, bounds: Bounds, slug: str, stream: int) -> list[Entry]:
    queryset = (
        ActionStatusChange.objects.filter(action__practice=practice)
        .exclude(from_status="")
        .filter(Q(action__plan__isnull=True) | ~Q(action__plan__status=PlanStatus.DRAFT))
        .select_related("action", "changed_by")
    )
    return [
        Entry(
            when=change.changed_at,
            kind="actions",
            stream=stream,
            pk=change.pk,
            title=f"Action {change.get_to_status_display().lower()}: {change.action.title}",
            summary=f"From {change.get_from_status_display().lower()}",
            who=_name(change.changed_by),
            note=change.note,
            url=_action_url(change.action, slug),
            badge=change.get_to_status_display(),
            badge_class={"done": "badge--success", "dropped": "badge--danger"}.get(
                change.to_status, "badge--accent"
            ),
        )
        for change in _page(queryset, "changed_at", stream, bounds)
    ]


# The stream number orders entries with the same time; it must never change once cursors are
# out in links.
STREAMS: list[tuple[str, Callable]] = [
    ("visits", _visits),
    ("stages", _stage_changes),
    ("assessments", _assessments("opened_at")),
    ("assessments", _assessments("submitted_at")),
    ("plans", _plans("created_at")),
    ("plans", _plans("accepted_at")),
    ("plans", _plans("completed_at")),
    ("actions", _actions_added),
    ("actions", _actions_moved),
]
