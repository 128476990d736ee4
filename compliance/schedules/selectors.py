"""Reading checklist assignments, joined for their page and endpoint (a fixed number of
queries whatever their number)."""

from django.db.models import Count, QuerySet

from compliance.schedules.models import ChecklistAssignment


def assignment_list() -> QuerySet[ChecklistAssignment]:
    """The program's assignments, newest first, each with its template, practice, who made it
    and how many checklists were made under it."""
    return (
        ChecklistAssignment.objects.select_related("template", "practice", "created_by")
        .annotate(instance_count=Count("instances"))
        .order_by("-is_active", "template__name", "-created_at", "-pk")
    )
