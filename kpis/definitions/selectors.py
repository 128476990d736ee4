"""Reading KPI definitions and practices' own targets, joined for their pages."""

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from kpis.models import KpiDefinition, KpiPracticeTarget
from psp.measures.registry import registry
from psp.tenancy.permissions import Capability


def definition_list() -> QuerySet[KpiDefinition]:
    """The program's KPI definitions in their order, each with its practices' targets count."""
    return KpiDefinition.objects.annotate(
        practice_target_count=Count("practice_targets", distinct=True)
    ).order_by("position", "name", "pk")


def definitions_in_program() -> QuerySet[KpiDefinition]:
    """The program's definitions as they are: for looking one up named in input."""
    return KpiDefinition.objects.all()


def definition_links() -> dict[str, tuple[int, str]]:
    """{code: (id, name)} of the program's definitions: one query for a page that names KPIs."""
    return {
        code: (pk, name)
        for pk, code, name in KpiDefinition.objects.values_list("pk", "code", "name")
    }


def goals_naming(*, access, code: str) -> QuerySet:
    """The plan goals the person may see that name the KPI, with their practice (newest plans
    first). Read through the app registry: the goals are coaching's, and kpis sits above it."""
    goal_model = apps.get_model("coaching", "PlanGoal")
    return (
        goal_model.objects.filter(
            access.practice_filter(Capability.PLAN_VIEW, "plan__practice_id"), kpi_key=code
        )
        .select_related("plan__practice")
        .order_by("-plan__created_at", "pk")
    )


def measure_choices() -> list[tuple[str, str]]:
    """The registered measures as (code, "Group: name") for a computed KPI's measure."""
    return [(m.code, f"{m.group}: {m.name}" if m.group else m.name) for m in registry.all()]


def practice_targets(*, definition: KpiDefinition) -> QuerySet[KpiPracticeTarget]:
    return KpiPracticeTarget.objects.filter(definition=definition)


def practices_with_targets(*, definition: KpiDefinition, practices: QuerySet) -> QuerySet:
    """`practices` (already filtered), each with its own target for the KPI or None."""
    own = KpiPracticeTarget.objects.filter(definition=definition, practice=OuterRef("pk"))
    return practices.annotate(
        has_own_target=Exists(own),
    ).order_by("name", "pk")


def own_targets(*, definition: KpiDefinition, practice_ids) -> dict[int, object]:
    """{practice id: its own target} for the practices of one page of the targets list."""
    return dict(
        KpiPracticeTarget.objects.filter(
            Q(definition=definition) & Q(practice_id__in=list(practice_ids))
        ).values_list("practice_id", "target")
    )
