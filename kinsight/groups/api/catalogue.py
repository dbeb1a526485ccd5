"""The groups' catalogue through the API: providers with their yearly grants,
programmes with their measurement plan, and the register of trained leaders. No
client's personal data: every member of staff reads it (no read audited), the
administrators and heads of services write it (the services answer 403 to others)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action

from kinsight.assessment.models import Instrument
from kinsight.core.apibase import (
    CreateThroughService,
    InputSerializer,
    ReadOnlySerializer,
    TenantSerializer,
    TenantViewSet,
    UpdateThroughService,
    VersionedSerializer,
)
from kinsight.groups import services
from kinsight.groups.models import (
    LeaderTraining,
    Point,
    Programme,
    ProgrammeMeasure,
    Provider,
    ProviderGrant,
)


class CatalogueViewSet(TenantViewSet):
    audit_reads = ()  # reference data: no client's personal data
    write_access = "change"


class EditedCatalogueViewSet(CreateThroughService, UpdateThroughService, CatalogueViewSet):
    """Created and changed (with ``version``) through the services; never deleted."""

    http_method_names = ["get", "post", "patch", "put", "head", "options"]


class GrantSerializer(TenantSerializer):
    class Meta:
        model = ProviderGrant
        fields = ["id", "provider", "year", "amount", "note"]
        validators: list = []  # the same year again replaces the amount (grant_set)


class ProviderSerializer(VersionedSerializer):
    grants = GrantSerializer(many=True, read_only=True)

    class Meta:
        model = Provider
        fields = ["id", *services.PROVIDER_FIELDS, "grants", "version"]


class ProviderViewSet(EditedCatalogueViewSet):
    """Utförare av stödgrupper: kommunens egna enheter och externa (t.ex. idéburna
    organisationer) med verksamhetsbidrag per år."""

    model = Provider
    serializer_class = ProviderSerializer
    creates = services.provider_create
    updates = services.provider_update
    updated_as = "provider"
    update_fields = tuple(services.PROVIDER_FIELDS)
    prefetch_related = ("grants",)
    filterset_fields = ["kind", "is_active"]


class ProviderGrantViewSet(CreateThroughService, CatalogueViewSet):
    """Verksamhetsbidrag per utförare och år, i hela kronor. Samma år en gång till
    ersätter beloppet."""

    model = ProviderGrant
    serializer_class = GrantSerializer
    creates = services.grant_set
    filterset_fields = ["provider", "year"]


class MeasureSerializer(ReadOnlySerializer):
    class Meta:
        model = ProgrammeMeasure
        fields = ["id", "instrument", "point", "months_after_end"]


class MeasureAddSerializer(InputSerializer):
    instrument = serializers.PrimaryKeyRelatedField(queryset=Instrument.objects.none())
    point = serializers.ChoiceField(choices=Point.choices)
    months_after_end = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=60
    )


class ProgrammeSerializer(VersionedSerializer):
    measures = MeasureSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = ["id", *services.PROGRAMME_FIELDS, "measures", "version"]


class ProgrammeViewSet(EditedCatalogueViewSet):
    """Stödgruppsprogram med målgrupp, ålder, antal träffar och samtal, utförare och
    mätplan (vilket instrument vid vilken tidpunkt; läggs till med POST …/measures/)."""

    model = Programme
    serializer_class = ProgrammeSerializer
    creates = services.programme_create
    updates = services.programme_update
    updated_as = "programme"
    update_fields = tuple(services.PROGRAMME_FIELDS)
    prefetch_related = ("measures",)
    filterset_fields = ["provider", "problem_area", "target_group", "is_active"]

    @extend_schema(request=MeasureAddSerializer, responses=MeasureSerializer)
    @action(detail=True, methods=["post"], access="change")
    def measures(self, request, pk=None):
        """Lägg till en mätning i programmets mätplan."""
        return self.act(
            MeasureAddSerializer,
            services.programme_measure_add,
            answer=MeasureSerializer,
            status=status.HTTP_201_CREATED,
            programme=self.get_object(),
        )


class LeaderTrainingSerializer(TenantSerializer):
    leader_name = serializers.CharField(source="leader.get_full_name", read_only=True)

    class Meta:
        model = LeaderTraining
        fields = ["id", "leader", "leader_name", "district", "programme", "training", "trained_on"]


class LeaderTrainingViewSet(CreateThroughService, CatalogueViewSet):
    """Gruppledarregistret: utbildade gruppledare per stadsdel, program och datum."""

    model = LeaderTraining
    serializer_class = LeaderTrainingSerializer
    creates = services.leader_training_add
    select_related = ("leader",)
    filterset_fields = ["leader", "district", "programme"]
