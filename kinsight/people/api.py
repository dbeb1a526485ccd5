"""API for persons and relationships under /api/v1/: the same rules as the pages.
What the user may not see answers 404; a relative seen for the child question comes
with name, age and relation only; a protected address is never in an answer."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.response import Response

from kinsight.audit.services import audit_read, audit_read_many
from kinsight.core.apibase import VersionedSerializer
from kinsight.core.models import OrgUnit
from kinsight.people import queries, services
from kinsight.people.access import WORK_ROLES
from kinsight.people.identifiers import IdentifierKind
from kinsight.people.models import Person, Relationship

LIMITED_FIELDS = {"id", "first_name", "last_name", "age", "access", "protected_identity"}
ADDRESS_FIELDS = {"street_address", "postal_code", "city"}


class PersonSerializer(VersionedSerializer):
    identifier = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Som det skrivs: 10 eller 12 siffror, med eller utan bindestreck.",
    )
    identifier_kind = serializers.ChoiceField(choices=IdentifierKind.choices)
    age = serializers.SerializerMethodField()
    access = serializers.SerializerMethodField(
        help_text="full: alla uppgifter; limited: anhörig (namn, ålder, relation)."
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.none(),
        write_only=True,
        required=False,
        help_text="Enheten som registrerar personen (en av dina).",
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "identifier_kind",
            "identifier",
            "birth_date",
            "approximate_birth_year",
            "age",
            "first_name",
            "last_name",
            "sex",
            "deceased_on",
            "protected_identity",
            "street_address",
            "postal_code",
            "city",
            "is_synthetic",
            "access",
            "unit",
            "version",
        ]
        read_only_fields = ["birth_date", "is_synthetic"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["unit"].queryset = OrgUnit.objects.filter(
                municipality_id=request.user.municipality_id,
                pk__in=request.user.units_with_role(*WORK_ROLES),
            )
        return fields

    def get_age(self, person) -> int | None:
        return person.age()

    def get_access(self, person) -> str:
        return "full" if getattr(person, "has_full_access", False) else "limited"

    def to_representation(self, person):
        data = super().to_representation(person)
        data["identifier"] = person.identifier_display
        if not getattr(person, "has_full_access", False):
            return {k: v for k, v in data.items() if k in LIMITED_FIELDS}
        if person.protected_identity:
            for name in ADDRESS_FIELDS:
                data[name] = None
        return data


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Namn (del av), eller nummer."),
        ]
    )
)
class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Personer: sök, läs, registrera och ändra. Bara de du får se."""

    serializer_class = PersonSerializer
    queryset = Person.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Person.objects.none()
        return queries.person_search(
            actor=self.request.user, q=self.request.query_params.get("q", "")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit_read_many(actor=request.user, objects=page, object_type=queries.PERSON_TYPE)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        audit_read(actor=request.user, obj=person)
        return Response(self.get_serializer(person).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        unit = data.pop("unit", None)
        data.pop("version", None)
        if unit is None:
            units = list(serializer.fields["unit"].queryset[:2])
            if len(units) != 1:
                raise exceptions.ValidationError({"unit": ["Ange vilken enhet som registrerar."]})
            unit = units[0]
        allowed = {
            "identifier_kind",
            "identifier",
            "first_name",
            "last_name",
            "sex",
            "approximate_birth_year",
            "protected_identity",
            "street_address",
            "postal_code",
            "city",
            "deceased_on",
        }
        person = services.person_register(
            actor=self.request.user, unit=unit, **{k: v for k, v in data.items() if k in allowed}
        )
        person.has_full_access = True
        serializer.instance = person

    def perform_update(self, serializer):
        person = serializer.instance
        if not Person.objects.visible_to(self.request.user, "change").filter(pk=person.pk).exists():
            raise exceptions.PermissionDenied()
        data = {k: v for k, v in serializer.validated_data.items() if k in services.EDITABLE_FIELDS}
        if "identifier" in data and data["identifier"] == person.identifier_display:
            data["identifier"] = person.identifier
        updated = services.person_update(
            actor=self.request.user,
            person=person,
            expected_version=serializer.validated_data["version"],
            data=data,
        )
        updated.has_full_access = True
        serializer.instance = updated


class RelationshipSerializer(serializers.ModelSerializer):
    from_person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    to_person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Relationship
        fields = ["id", "from_person", "to_person", "kind", "valid_from", "valid_to", "version"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            visible = Person.objects.visible_to(request.user, "view")
            fields["from_person"].queryset = visible
            fields["to_person"].queryset = visible
        return fields


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("person", int, description="Relationer för en person.")]
    )
)
class RelationshipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Relationer: ``from_person`` är <kind> till ``to_person`` (t.ex. förälder till)."""

    serializer_class = RelationshipSerializer
    queryset = Relationship.objects.none()
    filterset_fields = ["kind", "from_person", "to_person"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Relationship.objects.none()
        action = "change" if self.request.method == "DELETE" else "view"
        rels = Relationship.objects.visible_to(self.request.user, action).order_by("pk")
        person = self.request.query_params.get("person")
        if person and person.isdigit():
            rels = rels.filter(from_person_id=person) | rels.filter(to_person_id=person)
        return rels

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        audit_read_many(actor=request.user, objects=page, object_type="people.relationship")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        relationship = self.get_object()
        audit_read(actor=request.user, obj=relationship)
        return Response(self.get_serializer(relationship).data)

    def perform_create(self, serializer):
        serializer.instance = services.relationship_add(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.relationship_remove(actor=self.request.user, relationship=instance)
