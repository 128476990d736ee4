"""Reading checklist templates, their versions and structure, joined for their pages and
endpoints so the query count does not grow with the data. Templates are the program's: anyone
with compliance.view reads them."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from compliance.checklists.models import (
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
    VersionStatus,
)
from compliance.schedules.models import ChecklistAssignment
from practices.models import Practice


def _item_count(version_field: str):
    return Subquery(
        ChecklistItem.objects.filter(version_id=OuterRef(version_field))
        .order_by()
        .values("version_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )


def template_list() -> QuerySet[ChecklistTemplate]:
    """The program's templates by name, each with its current version, its number of items and
    the number of its draft (None without one): one query."""
    drafts = ChecklistVersion.objects.filter(
        template_id=OuterRef("pk"), status=VersionStatus.DRAFT
    ).values("number")[:1]
    return (
        ChecklistTemplate.objects.select_related("current_version")
        .annotate(draft_number=Subquery(drafts), item_count=_item_count("current_version_id"))
        .order_by("name", "pk")
    )


def practices_assigned(template_ids) -> dict[int, int]:
    """{template id: how many practices its active assignments cover now} in two queries:
    a sector assignment covers the sector's practices, one for no practice or sector all."""
    assignments = list(
        ChecklistAssignment.objects.filter(
            template_id__in=list(template_ids), is_active=True
        ).values_list("template_id", "practice_id", "sector")
    )
    if not assignments:
        return {}
    sectors = dict(Practice.objects.values_list("pk", "sector"))
    covered: dict[int, set[int]] = {}
    for template_id, practice_id, sector in assignments:
        found = covered.setdefault(template_id, set())
        if practice_id:
            found.add(practice_id)
        else:
            found.update(pk for pk, s in sectors.items() if not sector or s == sector)
    return {template_id: len(found) for template_id, found in covered.items()}


def structure(version_id: int) -> ChecklistVersion:
    """A version with its template, its sections (`section_list`) and each section's items
    (`item_list`), in order: three queries."""
    items = Prefetch(
        "items", queryset=ChecklistItem.objects.order_by("position", "pk"), to_attr="item_list"
    )
    sections = Prefetch(
        "sections",
        queryset=ChecklistSection.objects.order_by("position", "pk").prefetch_related(items),
        to_attr="section_list",
    )
    return (
        ChecklistVersion.objects.select_related("template", "created_by")
        .prefetch_related(sections)
        .get(pk=version_id)
    )


def with_structure(queryset: QuerySet[ChecklistTemplate]) -> QuerySet[ChecklistTemplate]:
    """Templates with their current version's sections and items joined (for the API's
    lists): three more queries whatever the number of templates."""
    items = Prefetch(
        "items", queryset=ChecklistItem.objects.order_by("position", "pk"), to_attr="item_list"
    )
    sections = Prefetch(
        "current_version__sections",
        queryset=ChecklistSection.objects.order_by("position", "pk").prefetch_related(items),
        to_attr="section_list",
    )
    return queryset.prefetch_related(sections)


@dataclass(frozen=True)
class VersionRow:
    version: ChecklistVersion
    item_count: int
    instance_count: int  # checklists made from it


def version_history(*, template: ChecklistTemplate) -> list[VersionRow]:
    """The template's versions, newest first, with their items and the checklists made from
    each: one query."""
    versions = (
        ChecklistVersion.objects.filter(template=template)
        .select_related("created_by")
        .annotate(
            items_n=_item_count("pk"),
            instances_n=Count("instances", distinct=True),
        )
        .order_by("-number")
    )
    return [VersionRow(v, v.items_n or 0, v.instances_n) for v in versions]


def versions_of(*, template: ChecklistTemplate) -> QuerySet[ChecklistVersion]:
    return ChecklistVersion.objects.filter(template=template).select_related("created_by")


def version_for_page() -> QuerySet[ChecklistVersion]:
    return ChecklistVersion.objects.select_related("template")


def section_for_page() -> QuerySet[ChecklistSection]:
    return ChecklistSection.objects.select_related("version__template")


def item_for_page() -> QuerySet[ChecklistItem]:
    return ChecklistItem.objects.select_related("version__template", "section")


def draft_of(template: ChecklistTemplate) -> ChecklistVersion | None:
    return ChecklistVersion.objects.filter(template=template, status=VersionStatus.DRAFT).first()
