"""The network API, with the pages' rules (kinsight.network.queries): the region's staff
and the heads of services and unit managers of current members read their regions'
meetings, files, inventories and courses; everyone else 404. Writes go through the
services (the network leader plans, records, shares and compiles: 403 for a member; a
member's head of services asks, answers and answers the inventory). The region's rows
hold no personal data: reads are not audited, downloads and writes are.

``ROUTES`` (prefix, viewset, basename) are registered on the API router in
config/urls.py."""

from typing import Any, cast

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from kinsight.core.models import Municipality, User
from kinsight.network import files, offer, queries, services
from kinsight.network.models import (
    Answer,
    Attendance,
    Course,
    Enrolment,
    Inventory,
    Meeting,
    MeetingFile,
    Question,
)


class MeetingAttendanceSerializer(serializers.ModelSerializer):
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["municipality", "municipality_name", "attendees"]


class FileSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingFile
        fields = ["id", "name", "content_type", "size", "uploaded_at"]


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "municipality", "text", "asked_at", "answer", "answered_at"]


MEETING_FIELDS = ["id", "region", *services.MEETING_FIELDS, "minutes", "minutes_writer"]


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = MEETING_FIELDS


class MeetingDetailSerializer(MeetingSerializer):
    attendances = MeetingAttendanceSerializer(many=True, source="invited")
    files = FileSerializer(many=True, source="shared")
    questions = QuestionSerializer(many=True, source="asked")

    class Meta(MeetingSerializer.Meta):
        fields = [*MEETING_FIELDS, "attendances", "files", "questions"]


class MeetingInput(serializers.ModelSerializer):
    link = serializers.URLField(required=False, allow_blank=True, default="")
    place = serializers.CharField(required=False, allow_blank=True, default="")
    agenda = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        model = Meeting
        fields = services.MEETING_FIELDS


class MinutesInput(serializers.Serializer):
    minutes = serializers.CharField()
    minutes_writer = serializers.CharField(max_length=150)


class AttendanceInput(serializers.Serializer):
    municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.all())
    attendees = serializers.CharField(allow_blank=True)


class FileInput(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, PPTX, ODP, DOCX eller XLSX.")


class TextInput(serializers.Serializer):
    text = serializers.CharField()


class AnswerTextInput(serializers.Serializer):
    answer = serializers.CharField()


def _body(request: Request, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


class NetworkViewSet(viewsets.GenericViewSet):
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    reads: Any = None  # the list's query of the user (staticmethod(queries.meetings), …)

    def user(self) -> User:
        return cast(User, self.request.user)

    def get_queryset(self) -> Any:
        """The rows the user reads through ``reads``; the empty ``queryset`` without
        it or for the schema's fake view. Said once for every list of the network."""
        if self.reads is None or getattr(self, "swagger_fake_view", False):
            return super().get_queryset()
        return self.reads(self.user())


class MeetingViewSet(mixins.ListModelMixin, NetworkViewSet):
    """Regionens nätverksmöten: kalendern, ett möte med inbjudna, deltagare, material,
    minnesanteckningar och frågor. Nätverksledaren planerar och dokumenterar;
    medlemmarnas IFO-chefer ställer och besvarar frågor."""

    serializer_class = MeetingSerializer
    queryset = Meeting.objects.none()
    reads = staticmethod(queries.meetings)

    def get_object(self) -> Meeting:
        return queries.meeting(self.user(), self.kwargs["pk"])

    def _detail(self, pk: Any, code: int = status.HTTP_200_OK) -> Response:
        found = queries.meeting(self.user(), pk)
        return Response(MeetingDetailSerializer(found).data, status=code)

    @extend_schema(responses=MeetingDetailSerializer)
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._detail(pk)

    @extend_schema(request=MeetingInput, responses={201: MeetingDetailSerializer})
    def create(self, request: Request) -> Response:
        found = services.meeting_plan(actor=self.user(), **_body(request, MeetingInput))
        return self._detail(found.pk, status.HTTP_201_CREATED)

    @extend_schema(request=MinutesInput, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def minutes(self, request: Request, pk: Any = None) -> Response:
        """Minnesanteckningar med namngiven skribent (nätverksledaren)."""
        services.minutes_write(
            actor=self.user(), meeting=self.get_object(), **_body(request, MinutesInput)
        )
        return self._detail(pk)

    @extend_schema(request=AttendanceInput, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: Any = None) -> Response:
        """Deltagare från en inbjuden medlem, som namn (nätverksledaren)."""
        services.attendance_record(
            actor=self.user(), meeting=self.get_object(), **_body(request, AttendanceInput)
        )
        return self._detail(pk)

    @extend_schema(request={"multipart/form-data": FileInput}, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def files(self, request: Request, pk: Any = None) -> Response:
        """Dela en fil (PDF, PPTX, ODP, DOCX, XLSX; kontrollerad till typ, innehåll och
        storlek)."""
        services.file_add(actor=self.user(), meeting=self.get_object(), **_body(request, FileInput))
        return self._detail(pk, status.HTTP_201_CREATED)

    @extend_schema(request=TextInput, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def questions(self, request: Request, pk: Any = None) -> Response:
        """Ställ en fråga till de andra medlemmarna (en medlems IFO-chef)."""
        services.question_ask(
            actor=self.user(), meeting=self.get_object(), **_body(request, TextInput)
        )
        return self._detail(pk, status.HTTP_201_CREATED)


class FileViewSet(NetworkViewSet):
    """En delad fil: hämtningen loggas."""

    serializer_class = FileSerializer
    queryset = MeetingFile.objects.none()

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: Any = None) -> HttpResponse:
        found = queries.shared_file(self.user(), pk)
        services.file_download(actor=self.user(), shared=found)
        return files.download(found)


class QuestionViewSet(NetworkViewSet):
    """En fråga mellan medlemmar: besvaras av en annan medlems IFO-chef eller av
    nätverksledaren."""

    serializer_class = QuestionSerializer
    queryset = Question.objects.none()

    @extend_schema(request=AnswerTextInput, responses=QuestionSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: Any = None) -> Response:
        question = queries.region_part(self.user(), Question, pk, "meeting")
        found = services.question_answer(
            actor=self.user(), question=question, **_body(request, AnswerTextInput)
        )
        return Response(QuestionSerializer(found).data)


class InventoryAnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Answer
        fields = [
            "id",
            "municipality",
            "area",
            "needs",
            "staff_count",
            "suggestions",
            "answered_at",
        ]


class InventorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Inventory
        fields = ["id", "region", "year", "deadline", "areas"]


class InventoryInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    deadline = serializers.DateField()
    extra_areas = serializers.CharField(required=False, allow_blank=True, default="")


class AnswerInput(serializers.Serializer):
    area = serializers.CharField()
    needs = serializers.CharField()
    staff_count = serializers.IntegerField(min_value=0)
    suggestions = serializers.CharField(required=False, allow_blank=True, default="")


class CourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ["id", "region", "inventory", *offer.COURSE_FIELDS]


class CourseInput(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = offer.COURSE_FIELDS


class InventoryViewSet(mixins.ListModelMixin, NetworkViewSet):
    """Kompetensinventeringen: nätverksledaren öppnar den och ser alla medlemmars svar;
    en medlems IFO-chef svarar per område till sista svarsdag och ser sin kommuns svar."""

    serializer_class = InventorySerializer
    queryset = Inventory.objects.none()
    reads = staticmethod(queries.inventories)

    def _found(self) -> Inventory:
        return queries.inventory(self.user(), self.kwargs["pk"])

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        """Inventeringen med svaren (alla medlemmars för nätverksledaren, den egna
        kommunens för en medlem) och summan av medarbetare per område."""
        found = self._found()
        given = queries.answers(self.user(), found)
        totals = {area: sum(a.staff_count for a in given if a.area == area) for area in found.areas}
        data = dict(InventorySerializer(found).data)
        data |= {
            "answers": InventoryAnswerSerializer(given, many=True).data,
            "staff_totals": totals,
        }
        return Response(data)

    @extend_schema(request=InventoryInput, responses={201: InventorySerializer})
    def create(self, request: Request) -> Response:
        found = offer.inventory_open(actor=self.user(), **_body(request, InventoryInput))
        return Response(InventorySerializer(found).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AnswerInput, responses=InventoryAnswerSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: Any = None) -> Response:
        """Kommunens svar för ett område (ersätter ett tidigare), till sista svarsdag."""
        found = offer.answer_save(
            actor=self.user(), inventory=self._found(), **_body(request, AnswerInput)
        )
        return Response(InventoryAnswerSerializer(found).data)

    @extend_schema(request=CourseInput, responses={201: CourseSerializer})
    @action(detail=True, methods=["post"])
    def courses(self, request: Request, pk: Any = None) -> Response:
        """En kurs i utbudet, gjord ur sammanställningen (nätverksledaren)."""
        body = _body(request, CourseInput)
        found = offer.course_add(actor=self.user(), inventory=self._found(), **body)
        return Response(CourseSerializer(found).data, status=status.HTTP_201_CREATED)


class CourseRowSerializer(CourseSerializer):
    enrolled = serializers.IntegerField(read_only=True)
    below = serializers.BooleanField(
        read_only=True, help_text="Färre anmälda än minsta antal före beslutsdagen."
    )

    class Meta(CourseSerializer.Meta):
        fields = [*CourseSerializer.Meta.fields, "enrolled", "below"]


class EnrolmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enrolment
        fields = ["id", "course", "municipality", "participant", "enrolled_at", "attended"]


class EnrolInput(serializers.Serializer):
    participant = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())


class AttendedInput(serializers.Serializer):
    attended = serializers.BooleanField()


class CourseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NetworkViewSet):
    """Regionens utbildningsutbud, med antal anmälda och om kursen är under minimum;
    en medlems IFO-chef anmäler sin personal."""

    serializer_class = CourseRowSerializer
    queryset = Course.objects.none()
    reads = staticmethod(queries.course_rows)

    @extend_schema(request=EnrolInput, responses={201: EnrolmentSerializer})
    @action(detail=True, methods=["post"])
    def enrol(self, request: Request, pk: Any = None) -> Response:
        """Anmäl en medarbetare i den egna kommunen (så länge det finns plats)."""
        body = _body(request, EnrolInput)  # another municipality's staff: refused by enrol
        found = offer.enrol(actor=self.user(), course=self.get_object(), **body)
        return Response(EnrolmentSerializer(found).data, status=status.HTTP_201_CREATED)


class EnrolmentViewSet(NetworkViewSet):
    """En anmälan: närvaron anges av kommunens IFO-chef när kursen har börjat."""

    serializer_class = EnrolmentSerializer
    queryset = Enrolment.objects.none()

    @extend_schema(request=AttendedInput, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def attended(self, request: Request, pk: Any = None) -> Response:
        found = queries.region_part(self.user(), Enrolment, pk, "course", "participant")
        saved = offer.attendance_mark(
            actor=self.user(), enrolment=found, **_body(request, AttendedInput)
        )
        return Response(EnrolmentSerializer(saved).data)


ROUTES: list[tuple[str, type, str]] = [
    ("network-meetings", MeetingViewSet, "network-meeting"),
    ("network-files", FileViewSet, "network-file"),
    ("network-questions", QuestionViewSet, "network-question"),
    ("network-inventories", InventoryViewSet, "network-inventory"),
    ("network-courses", CourseViewSet, "network-course"),
    ("network-enrolments", EnrolmentViewSet, "network-enrolment"),
]
