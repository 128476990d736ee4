"""REST endpoints for KPI definitions and practices' own targets, under
/api/v1/programs/<program>/ (psp/api/urls.py reads `routes`):

    kpi-definitions/               list, create (KPI_DEFINE); filters source, sector, is_active
    kpi-definitions/{id}/          read; change or delete (KPI_DEFINE)
    kpi-definitions/{id}/history/  the definition's history, its targets' included
    kpi-targets/                   practices' own targets (KPI_DEFINE); filters definition,
                                   practice

Writes go through kpis/definitions/services.py with the program from the scope; related ids
are looked up inside the program only (ProgramObjectField).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from kpis.definitions import selectors, services
from kpis.definitions.filters import DefinitionFilter, PracticeTargetFilter
from kpis.models import KpiDefinition, KpiPracticeTarget
from practices.selectors import practices_in_reach
from psp.api.fields import ProgramObjectField
from psp.api.viewsets import ProgramScopedViewSet
from psp.history.models import SubjectType
from psp.history.selectors import history_of
from psp.history.serializers import ChangeRecordSerializer
from psp.measures.registry import Aggregation, Direction, Unit
from psp.tenancy.permissions import Capability

VIEW, DEFINE = Capability.KPI_VIEW, Capability.KPI_DEFINE


class KpiDefinitionSerializer(serializers.ModelSerializer):
    practice_target_count = serializers.IntegerField(read_only=True, default=0)
    # Optional for a computed KPI: its measure's unit, direction and aggregation by default.
    unit = serializers.ChoiceField(choices=Unit.choices, required=False)
    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    aggregation = serializers.ChoiceField(choices=Aggregation.choices, required=False)

    class Meta:
        model = KpiDefinition
        fields = [
            "id",
            *services.DEFINITION_FIELDS,
            "pack",
            "position",
            "practice_target_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["pack", "position", "created_at", "updated_at"]
        validators = []  # the service checks the code against the program's others
        extra_kwargs = {
            "code": {"validators": []},
            "measure": {"help_text": "For a computed KPI: the code of a registered measure."},
            "min_value": {"help_text": "Entered values below this are refused."},
            "max_value": {"help_text": "Entered values above this are refused."},
        }


class KpiDefinitionViewSet(ProgramScopedViewSet):
    """The program's KPI definitions. Everyone who sees KPIs may read them; program admins
    define, change and delete them (deleting one removes its targets and values too)."""

    queryset = KpiDefinition.objects.none()  # for schema introspection only
    serializer_class = KpiDefinitionSerializer
    filterset_class = DefinitionFilter
    ordering = ["position", "name"]
    read_capability = VIEW
    write_capability = DEFINE

    def scoped_queryset(self):
        return selectors.definition_list()

    def _fresh(self, definition):
        return self.scoped_queryset().get(pk=definition.pk)

    def create_object(self, serializer):
        definition = services.definition_create(
            program=self.request.program, by=self.request.user, data=serializer.validated_data
        )
        return self._fresh(definition)

    def update_object(self, serializer):
        definition = services.definition_update(
            program=self.request.program,
            definition=serializer.instance,
            by=self.request.user,
            data=serializer.validated_data,
        )
        return self._fresh(definition)

    def destroy_object(self, instance):
        services.definition_delete(
            program=self.request.program, definition=instance, by=self.request.user
        )

    @extend_schema(
        request=None,
        responses=ChangeRecordSerializer(many=True),
        summary="A KPI definition's history",
        description="Newest first: its creation (by hand or from a pack), each edit with its "
        "fields before and after, and each practice's own target set or cleared. The same "
        "shape as every history endpoint.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, *args, **kwargs):
        definition = self.get_object()
        changes = history_of(subject_type=SubjectType.KPI, subject_id=definition.pk)
        return Response(ChangeRecordSerializer(changes, many=True).data)


class KpiPracticeTargetSerializer(serializers.ModelSerializer):
    definition = ProgramObjectField(
        model=KpiDefinition,
        noun="KPI definition",
        reach=lambda access: selectors.definitions_in_program(),
    )
    practice = ProgramObjectField(
        model="practices.Practice",
        noun="practice",
        reach=lambda access: practices_in_reach(access=access, capability=Capability.PRACTICE_VIEW),
    )

    class Meta:
        model = KpiPracticeTarget
        fields = ["id", "definition", "practice", "target"]
        validators = []  # one target per practice and KPI: the viewset says so by field

    def validate(self, attrs):
        instance = self.instance
        if instance is not None:
            for name in ("definition", "practice"):
                if name in attrs and attrs[name].pk != getattr(instance, f"{name}_id"):
                    raise serializers.ValidationError(
                        {name: "A target stays with its KPI and practice; set another instead."}
                    )
        elif KpiPracticeTarget.objects.filter(
            definition=attrs["definition"], practice=attrs["practice"]
        ).exists():
            raise serializers.ValidationError(
                {"practice": "This practice already has its own target for this KPI; change it."}
            )
        return attrs


class KpiPracticeTargetViewSet(ProgramScopedViewSet):
    """Practices' own targets, each in place of the program's target for one KPI (admins)."""

    queryset = KpiPracticeTarget.objects.none()  # for schema introspection only
    serializer_class = KpiPracticeTargetSerializer
    filterset_class = PracticeTargetFilter
    ordering = ["definition", "practice"]
    read_capability = DEFINE
    write_capability = DEFINE

    def scoped_queryset(self):
        return KpiPracticeTarget.objects.order_by("definition_id", "practice_id", "pk")

    def _set(self, serializer, definition, practice):
        row = services.practice_target_set(
            program=self.request.program,
            definition=definition,
            practice=practice,
            target=serializer.validated_data["target"],
            by=self.request.user,
        )
        return self.scoped_queryset().get(pk=row.pk)

    def create_object(self, serializer):
        data = serializer.validated_data
        return self._set(serializer, data["definition"], data["practice"])

    def update_object(self, serializer):
        row = serializer.instance
        if "target" not in serializer.validated_data:
            return row
        return self._set(serializer, row.definition, row.practice)

    def destroy_object(self, instance):
        services.practice_target_set(
            program=self.request.program,
            definition=instance.definition,
            practice=instance.practice,
            target=None,
            by=self.request.user,
        )


routes = [
    ("kpi-definitions", KpiDefinitionViewSet, "kpi-definitions"),
    ("kpi-targets", KpiPracticeTargetViewSet, "kpi-targets"),
]
