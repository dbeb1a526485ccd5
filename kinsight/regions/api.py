"""The regions API, with the pages' rules (kinsight.regions):

- ``region-publications``: a member's heads of services list and read what their
  municipality published (another municipality's answer 404); one whose scope is the
  whole municipality publishes a closed period (POST) and withdraws it with a reason.
- ``region-figures``: the region's staff read what the members published (withdrawn
  too, marked), the comparison between members with the region total, and the trend;
  everyone else 404.
- ``region-members``: the region's staff list the members, add one, record a leaving.

``ROUTES`` (prefix, viewset, basename) are registered on the API router in
config/urls.py. Published figures are aggregates with small counts hidden: their reads
are not audited; publishing, withdrawing and membership changes are."""

from typing import Any, cast

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from kinsight.core.apibase import InputSerializer, ReadOnlySerializer, TenantViewSet
from kinsight.core.models import Municipality, Role, User
from kinsight.regions import compare, queries, services
from kinsight.regions.models import Member, PublishedFigure, Region, Step
from kinsight.regions.snapshots import publishable


class PublishedSerializer(ReadOnlySerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)

    class Meta:
        model = PublishedFigure
        fields = [
            "id",
            "region",
            "region_name",
            "municipality",
            "municipality_name",
            "definition",
            "title",
            "definitions_version",
            "step",
            "period_start",
            "period_end",
            "period_label",
            "suppression_threshold",
            "published_at",
            "withdrawn_at",
            "withdrawn_reason",
        ]


class PublishedDetailSerializer(PublishedSerializer):
    class Meta(PublishedSerializer.Meta):
        fields = [*PublishedSerializer.Meta.fields, "tables"]


class FigurePublishSerializer(InputSerializer):
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    definition = serializers.ChoiceField(choices=[])
    step = serializers.ChoiceField(choices=Step.choices)
    period_start = serializers.DateField(help_text="En dag i perioden som publiceras.")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["definition"].choices = [(d.key, d.title) for d in publishable()]
        return fields


class FigureWithdrawSerializer(InputSerializer):
    reason = serializers.CharField(max_length=2000, help_text="Varför siffrorna återkallas.")


def _head(user: User) -> None:
    if not (user.municipality_id and user.units_with_role(Role.HEAD_OF_SERVICES)):
        raise Http404


class PublicationViewSet(mixins.CreateModelMixin, TenantViewSet):
    """Det kommunen har publicerat till sina regioner (IFO-chefer): publicera en avslutad
    period (POST), återkalla med ett skäl."""

    model = PublishedFigure
    serializer_class = PublishedSerializer
    audit_reads = ()  # aggregates with small counts hidden: no personal data
    select_related = ("region", "municipality")
    order_by = ("-published_at", "-id")

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        _head(cast(User, request.user))

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return PublishedDetailSerializer if self.action == "retrieve" else PublishedSerializer

    @extend_schema(request=FigurePublishSerializer, responses={201: PublishedDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = self.body(FigurePublishSerializer)
        figure = services.figure_publish(actor=cast(User, request.user), **body)
        return self.respond(
            figure, status=status.HTTP_201_CREATED, serializer_class=PublishedDetailSerializer
        )

    @extend_schema(request=FigureWithdrawSerializer, responses=PublishedSerializer)
    @action(detail=True, methods=["post"], access="change")
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        """Återkalla: siffrorna finns kvar, märkta, men ingår inte i regionens jämförelser."""
        return self.act(
            FigureWithdrawSerializer, services.figure_withdraw, figure=self.get_object()
        )


class RegionOnly:
    """A viewset for the region's staff only (404 for everyone else)."""

    def region(self) -> Region:
        request = cast(Request, getattr(self, "request"))  # noqa: B009
        return queries.region_for(cast(User, request.user))


COMPARE = [
    OpenApiParameter("figure", str, description="definition:steg:periodens första dag"),
    OpenApiParameter("table", str, required=False, description="Tabellens nyckel"),
    OpenApiParameter("column", str, required=False, description="Kolumnens nyckel (utveckling)"),
]


class RegionFigureViewSet(RegionOnly, viewsets.ReadOnlyModelViewSet):
    """Regionens publicerade nyckeltal (nätverksledaren): listan (återkallade märkta),
    jämförelsen mellan medlemmar med regionens summa, och utvecklingen över tid."""

    queryset = PublishedFigure.objects.none()
    serializer_class = PublishedSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return PublishedFigure.objects.none()
        self.region()
        rows = PublishedFigure.objects.for_region(cast(User, self.request.user))
        return rows.select_related("region", "municipality").order_by("-period_start", "id")

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return PublishedDetailSerializer if self.action == "retrieve" else PublishedSerializer

    def _chosen(self) -> tuple[list[PublishedFigure], dict[int, str], str, str]:
        user = cast(User, self.request.user)
        names = queries.labels(queries.members(self.region()))
        try:
            definition, step, start = self.request.query_params["figure"].split(":")
        except (KeyError, ValueError):
            raise serializers.ValidationError(
                {"figure": ["Ange figure som definition:steg:ÅÅÅÅ-MM-DD."]}
            ) from None
        figures = queries.series_figures(user, definition, step)
        if self.action != "trend":
            figures = [f for f in figures if f.period_start.isoformat() == start]
        return figures, names, self.request.query_params.get("table", ""), start

    @extend_schema(parameters=COMPARE, responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def compare(self, request: Request) -> Response:
        """Medlemmarna sida vid sida per tabell, med regionens summa ("minst N" där
        dolda celler inte ingår)."""
        figures, names, key, _start = self._chosen()
        keys = [key] if key else [k for k, _title in compare.table_keys(figures)]
        tables = [compare.comparison(figures, k, names) for k in keys]
        return Response({"tables": [table.as_dict() for table in tables if table is not None]})

    @extend_schema(parameters=COMPARE, responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def trend(self, request: Request) -> Response:
        """En kolumn ur en tabell, period för period, per medlem."""
        figures, names, key, _start = self._chosen()
        key = key or next((k for k, _title in compare.table_keys(figures)), "")
        base = compare.comparison(figures[:1], key, names) if figures else None
        column = request.query_params.get("column") or (base.columns[0].key if base else "")
        table = compare.trend(figures, key, column, names)
        return Response({"table": table.as_dict() if table is not None else None})


class MemberSerializer(ReadOnlySerializer):
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)

    class Meta:
        model = Member
        fields = ["id", "municipality", "municipality_name", "joined_on", "left_on"]


class MemberJoinSerializer(serializers.Serializer):
    municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.all())
    joined_on = serializers.DateField()


class MemberLeaveSerializer(serializers.Serializer):
    left_on = serializers.DateField()


class MemberViewSet(RegionOnly, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Regionens medlemskommuner (nätverksledaren): lägg till en, ange ett utträde."""

    queryset = Member.objects.none()
    serializer_class = MemberSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Member.objects.none()
        return self.region().members.select_related("municipality").order_by("id")

    def _body(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    @extend_schema(request=MemberJoinSerializer, responses={201: MemberSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.region()
        member = services.member_join(
            actor=cast(User, request.user), **self._body(MemberJoinSerializer)
        )
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberLeaveSerializer, responses=MemberSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request: Request, pk: Any = None) -> Response:
        """Kommunen lämnar regionen (dess publicerade siffror finns kvar, märkta)."""
        member = services.member_leave(
            actor=cast(User, request.user),
            member=self.get_object(),
            **self._body(MemberLeaveSerializer),
        )
        return Response(MemberSerializer(member).data)


ROUTES: list[tuple[str, type, str]] = [
    ("region-publications", PublicationViewSet, "region-publication"),
    ("region-figures", RegionFigureViewSet, "region-figure"),
    ("region-members", MemberViewSet, "region-member"),
]
