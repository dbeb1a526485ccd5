"""API for the joint assessment under /api/v1/, with the rules of the pages: invisible
is 404, visible but another unit's is 403 on write, every read and write audited.
Instruments and the protective-factor catalogue are read-only."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status

from kinsight.assessment import services
from kinsight.assessment.models import (
    AnswerOption,
    Assessment,
    AssessmentPart,
    Cutoff,
    CutoffSex,
    Instrument,
    InstrumentItem,
    InstrumentResult,
    ProtectiveFactor,
)
from kinsight.core.apibase import (
    InputSerializer,
    ReadOnlySerializer,
    TenantSerializer,
    TenantViewSet,
    VersionedSerializer,
)
from kinsight.core.versioning import NOT_YET_SAVED
from kinsight.family.models import FamilyWork


def _active(factors, user):
    return factors.active()


# Catalogue ----------------------------------------------------------------------------


class ProtectiveFactorSerializer(ReadOnlySerializer):
    class Meta:
        model = ProtectiveFactor
        fields = ["id", "code", "label", "target", "source", "order", "is_active"]


class ProtectiveFactorViewSet(TenantViewSet):
    """Katalogen över skyddsfaktorer (levererade och kommunens egna)."""

    model = ProtectiveFactor
    serializer_class = ProtectiveFactorSerializer
    audit_reads = ()  # a catalogue: no personal data
    order_by = ("order", "pk")


class AnswerOptionSerializer(ReadOnlySerializer):
    class Meta:
        model = AnswerOption
        fields = ["order", "label", "score"]


class InstrumentItemSerializer(ReadOnlySerializer):
    options = AnswerOptionSerializer(many=True, read_only=True)

    class Meta:
        model = InstrumentItem
        fields = [
            "number",
            "label",
            "text",
            "min_score",
            "max_score",
            "is_reversed",
            "subscale",
            "options",
        ]


class CutoffSerializer(ReadOnlySerializer):
    sex = serializers.ChoiceField(
        choices=CutoffSex.choices, allow_blank=True, help_text="Tomt: för alla."
    )

    class Meta:
        model = Cutoff
        fields = ["label", "min_score", "max_score", "sex"]


class InstrumentSerializer(ReadOnlySerializer):
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
            "higher_is_better",
            "reference_sd",
            "reliability",
            "clinical_cutoff",
            "norms_source",
            "is_active",
            "items",
            "cutoffs",
        ]

    def get_is_shipped(self, obj) -> bool:
        return obj.municipality_id is None


class InstrumentViewSet(TenantViewSet):
    """Instrument som data: frågor, svarsalternativ med poäng och gränsvärden."""

    model = Instrument
    serializer_class = InstrumentSerializer
    audit_reads = ()  # a catalogue: no personal data
    prefetch_related = ("items__options", "cutoffs")
    order_by = ("code", "pk")


# Assessments --------------------------------------------------------------------------


class AssessmentSerializer(ReadOnlySerializer):
    class Meta:
        model = Assessment
        fields = ["id", "family_work", "started_by", "created_at", "version"]


class AssessmentStartSerializer(InputSerializer):
    family_work = serializers.PrimaryKeyRelatedField(queryset=FamilyWork.objects.none())


class AssessmentViewSet(mixins.CreateModelMixin, TenantViewSet):
    """Bedömningen per familjeärende. POST startar den (eller returnerar den befintliga)."""

    model = Assessment
    serializer_class = AssessmentSerializer
    filterset_fields = ["family_work"]

    @extend_schema(request=AssessmentStartSerializer, responses=AssessmentSerializer)
    def create(self, request, *args, **kwargs):
        body = self.body(AssessmentStartSerializer)
        assessment = services.assessment_start(actor=request.user, family_work=body["family_work"])
        return self.respond(assessment, status=status.HTTP_201_CREATED)


class AssessmentPartSerializer(VersionedSerializer):
    """Created with POST (refused with 409 if the unit's part for the perspective was
    written meanwhile), changed with PATCH/PUT carrying ``version``."""

    protective_factors = serializers.PrimaryKeyRelatedField(
        many=True, queryset=ProtectiveFactor.objects.none(), required=False
    )
    family_work = serializers.PrimaryKeyRelatedField(queryset=FamilyWork.objects.none())
    related_access = {"protective_factors": _active}

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


class AssessmentPartViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, TenantViewSet):
    """En enhets del av bedömningen för ett perspektiv (t.ex. ``child:12``,
    ``parent:7``, ``parent_child:7:12``, ``couple:7:8``, ``family``). Andra enheters
    delar syns bara med samtycke som omfattar din enhet; annars 404."""

    model = AssessmentPart
    serializer_class = AssessmentPartSerializer
    filterset_fields = ["assessment", "family_work", "perspective", "kind", "unit"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    write_access = "change"
    prefetch_related = ("protective_factors",)

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
        return self.respond(part, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        part = self.get_object()
        serializer = self.get_serializer(part, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return self.respond(self._save(serializer, part))


class InstrumentResultSerializer(TenantSerializer):
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


class InstrumentResultViewSet(mixins.CreateModelMixin, TenantViewSet):
    """Ifyllda instrument på en del av bedömningen; summa och tolkning räknas ut av
    Kinsight ur instrumentets data."""

    model = InstrumentResult
    serializer_class = InstrumentResultSerializer
    filterset_fields = ["part", "instrument"]

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
        return self.respond(result, status=status.HTTP_201_CREATED)
