"""API for the joint assessment under /api/v1/, with the rules of the pages: invisible
is 404, visible but another unit's is 403 on write, every read and write audited.
Instruments and the protective-factor catalogue are read-only."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from kinsight.assessment import queries, services
from kinsight.assessment.models import (
    AnswerOption,
    Assessment,
    AssessmentPart,
    Cutoff,
    Instrument,
    InstrumentItem,
    InstrumentResult,
    ProtectiveFactor,
)
from kinsight.audit.services import audit_read, audit_read_many
from kinsight.core.apibase import VersionedSerializer
from kinsight.core.models import OrgUnit
from kinsight.core.versioning import NOT_YET_SAVED
from kinsight.family.models import FamilyWork


def _user(serializer):
    request = serializer.context.get("request")
    if request is not None and request.user.is_authenticated:
        return request.user
    return None


class _AuditedReadMixin:
    object_type = ""

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        audit_read_many(actor=request.user, objects=page, object_type=self.object_type)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        audit_read(actor=request.user, obj=obj)
        return Response(self.get_serializer(obj).data)


# Catalogue ----------------------------------------------------------------------------


class ProtectiveFactorSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProtectiveFactor
        fields = ["id", "code", "label", "target", "source", "order", "is_active"]
        read_only_fields = fields


class ProtectiveFactorViewSet(viewsets.ReadOnlyModelViewSet):
    """Katalogen över skyddsfaktorer (levererade och kommunens egna)."""

    serializer_class = ProtectiveFactorSerializer
    queryset = ProtectiveFactor.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProtectiveFactor.objects.none()
        return ProtectiveFactor.objects.visible_to(self.request.user, "view").order_by(
            "order", "pk"
        )


class AnswerOptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AnswerOption
        fields = ["order", "label", "score"]
        read_only_fields = fields


class InstrumentItemSerializer(serializers.ModelSerializer):
    options = AnswerOptionSerializer(many=True, read_only=True)

    class Meta:
        model = InstrumentItem
        fields = ["number", "label", "text", "min_score", "max_score", "options"]
        read_only_fields = fields


class CutoffSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cutoff
        fields = ["label", "min_score", "max_score", "sex"]
        read_only_fields = fields


class InstrumentSerializer(serializers.ModelSerializer):
    items = InstrumentItemSerializer(many=True, read_only=True)
    cutoffs = CutoffSerializer(many=True, read_only=True)
    is_shipped = serializers.SerializerMethodField()

    class Meta:
        model = Instrument
        fields = [
            "id",
            "code",
            "name",
            "description",
            "licence_note",
            "is_licensed_text_included",
            "is_shipped",
            "for_adults",
            "for_children",
            "is_active",
            "items",
            "cutoffs",
        ]
        read_only_fields = fields

    def get_is_shipped(self, obj) -> bool:
        return obj.municipality_id is None


class InstrumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Instrument som data: frågor, svarsalternativ med poäng och gränsvärden."""

    serializer_class = InstrumentSerializer
    queryset = Instrument.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Instrument.objects.none()
        return (
            Instrument.objects.visible_to(self.request.user, "view")
            .prefetch_related("items__options", "cutoffs")
            .order_by("code", "pk")
        )


# Assessments --------------------------------------------------------------------------


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assessment
        fields = ["id", "family_work", "started_by", "created_at", "version"]
        read_only_fields = fields


class AssessmentStartSerializer(serializers.Serializer):
    family_work = serializers.PrimaryKeyRelatedField(queryset=FamilyWork.objects.none())

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user is not None:
            fields["family_work"].queryset = FamilyWork.objects.visible_to(user, "view")
        return fields


class AssessmentViewSet(_AuditedReadMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Bedömningen per familjeärende. POST startar den (eller returnerar den befintliga)."""

    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()
    filterset_fields = ["family_work"]
    object_type = "assessment.assessment"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assessment.objects.none()
        return Assessment.objects.visible_to(self.request.user, "view").order_by("pk")

    @extend_schema(request=AssessmentStartSerializer, responses=AssessmentSerializer)
    def create(self, request, *args, **kwargs):
        body = AssessmentStartSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        assessment = services.assessment_start(
            actor=request.user, family_work=body.validated_data["family_work"]
        )
        return Response(self.get_serializer(assessment).data, status=status.HTTP_201_CREATED)


class AssessmentPartSerializer(VersionedSerializer):
    """Created with POST (refused with 409 if the unit's part for the perspective was
    written meanwhile), changed with PATCH/PUT carrying ``version``."""

    protective_factors = serializers.PrimaryKeyRelatedField(
        many=True, queryset=ProtectiveFactor.objects.none(), required=False
    )
    family_work = serializers.PrimaryKeyRelatedField(queryset=FamilyWork.objects.none())
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())

    class Meta:
        model = AssessmentPart
        fields = [
            "id",
            "assessment",
            "family_work",
            "perspective",
            "kind",
            "person",
            "other_person",
            "unit",
            *services.PART_FIELDS,
            "protective_factors",
            "updated_by",
            "updated_at",
            "version",
        ]
        read_only_fields = [
            "assessment",
            "kind",
            "person",
            "other_person",
            "updated_by",
            "updated_at",
        ]

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user is not None:
            fields[
                "protective_factors"
            ].child_relation.queryset = ProtectiveFactor.objects.visible_to(user, "view").active()
            fields["family_work"].queryset = FamilyWork.objects.visible_to(user, "view")
            fields["unit"].queryset = OrgUnit.objects.visible_to(user, "view")
        return fields


class AssessmentPartViewSet(
    _AuditedReadMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """En enhets del av bedömningen för ett perspektiv (t.ex. ``child:12``,
    ``parent:7``, ``parent_child:7:12``, ``couple:7:8``, ``family``). Andra enheters
    delar syns bara med samtycke som omfattar din enhet; annars 404."""

    serializer_class = AssessmentPartSerializer
    queryset = AssessmentPart.objects.none()
    filterset_fields = ["assessment", "family_work", "perspective", "kind", "unit"]
    object_type = queries.PART_TYPE
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AssessmentPart.objects.none()
        return (
            AssessmentPart.objects.visible_to(self.request.user, "view")
            .prefetch_related("protective_factors")
            .order_by("pk")
        )

    def _save(self, serializer, part=None):
        data = serializer.validated_data
        if part is not None:
            factors = data.get("protective_factors", list(part.protective_factors.all()))
            values = {name: data.get(name, getattr(part, name)) for name in services.PART_FIELDS}
            return services.part_save(
                actor=self.request.user,
                family_work=part.family_work,
                perspective_key=part.perspective,
                unit=part.unit,
                data=values,
                protective_factors=factors,
                expected_version=data["version"],
            )
        return services.part_save(
            actor=self.request.user,
            family_work=data["family_work"],
            perspective_key=data["perspective"],
            unit=data["unit"],
            data={name: data.get(name, "") for name in services.PART_FIELDS},
            protective_factors=data.get("protective_factors", []),
            expected_version=NOT_YET_SAVED,
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        part = self._save(serializer)
        return Response(self.get_serializer(part).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        part = self.get_object()
        if not AssessmentPart.objects.visible_to(request.user, "change").filter(pk=part.pk):
            raise PermissionDenied
        serializer = self.get_serializer(part, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        part = self._save(serializer, part)
        return Response(self.get_serializer(part).data)


class InstrumentResultSerializer(serializers.ModelSerializer):
    part = serializers.PrimaryKeyRelatedField(queryset=AssessmentPart.objects.none())
    instrument = serializers.PrimaryKeyRelatedField(queryset=Instrument.objects.none())
    answers = serializers.DictField(
        child=serializers.IntegerField(),
        help_text='Poäng per frågenummer, t.ex. {"1": 2, "2": 0}: för frågor med '
        "svarsalternativ poängen för det valda alternativet.",
    )

    class Meta:
        model = InstrumentResult
        fields = [
            "id",
            "part",
            "instrument",
            "answered_on",
            "sex",
            "answers",
            "total_score",
            "cutoff_label",
            "note",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["total_score", "cutoff_label", "created_by", "created_at"]

    def get_fields(self):
        fields = super().get_fields()
        user = _user(self)
        if user is not None:
            fields["part"].queryset = AssessmentPart.objects.visible_to(user, "view")
            fields["instrument"].queryset = Instrument.objects.visible_to(user, "view")
        return fields


class InstrumentResultViewSet(
    _AuditedReadMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Ifyllda instrument på en del av bedömningen; summa och tolkning räknas ut av
    Kinsight ur instrumentets data."""

    serializer_class = InstrumentResultSerializer
    queryset = InstrumentResult.objects.none()
    filterset_fields = ["part", "instrument"]
    object_type = queries.RESULT_TYPE

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return InstrumentResult.objects.none()
        return InstrumentResult.objects.visible_to(self.request.user, "view").order_by("pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = services.instrument_result_record(
            actor=request.user,
            part=data["part"],
            instrument=data["instrument"],
            answers=data["answers"],
            sex=data.get("sex", ""),
            answered_on=data.get("answered_on"),
            note=data.get("note", ""),
        )
        return Response(self.get_serializer(result).data, status=status.HTTP_201_CREATED)
