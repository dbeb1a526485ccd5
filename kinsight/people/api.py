"""API for persons and relationships under /api/v1/: the same rules as the pages.
What the user may not see answers 404; a relative seen for the child question comes
with name, age and relation only; a protected address is never in an answer."""

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from kinsight.core.apibase import TenantSerializer, TenantViewSet, VersionedSerializer
from kinsight.core.models import OrgUnit
from kinsight.people import queries, services
from kinsight.people.access import WORK_ROLES
from kinsight.people.identifiers import IdentifierKind
from kinsight.people.models import Person, Relationship
from kinsight.people.register import services as register_services
from kinsight.people.register.api import RegisterLookupSerializer, lookup_answer

LIMITED_FIELDS = {"id", "first_name", "last_name", "age", "access", "protected_identity"}
ADDRESS_FIELDS = {"street_address", "postal_code", "city"}


def _registering_units(units, user):
    return units.filter(pk__in=user.units_with_role(*WORK_ROLES))


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
    related_access = {"unit": _registering_units}

    class Meta:
        model = Person
        fields = ["id", *services.PERSON_FIELDS, "age", "is_synthetic", "access", "unit", "version"]
        read_only_fields = ["birth_date", "is_synthetic"]

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


class PersonSchema(OpenApiSerializerExtension):
    """What the schema promises of a person answer: a next of kin seen with limited
    access carries only ``LIMITED_FIELDS``, and a protected identity's address is
    null."""

    target_class = PersonSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "response":
            schema["required"] = [name for name in schema["required"] if name in LIMITED_FIELDS]
            for name in ADDRESS_FIELDS:
                schema["properties"][name]["nullable"] = True
        return schema


class PersonSearchSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=100,
        allow_blank=True,
        help_text="Namn (del av), personnummer, samordningsnummer eller reservnummer.",
    )


class PersonViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, TenantViewSet):
    """Personer: sök, läs, registrera och ändra. Bara de du får se. Sök med
    POST search/ (sökordet i kroppen, aldrig i adressen)."""

    model = Person
    serializer_class = PersonSerializer
    write_access = "change"
    search_text = ""

    def rows(self):
        return queries.person_search(actor=self.request.user, q=self.search_text)

    def list(self, request, *args, **kwargs):
        if "q" in request.query_params:
            raise exceptions.ValidationError(
                {"q": ["Sök med POST /api/v1/persons/search/ och sökordet i kroppen."]}
            )
        return super().list(request, *args, **kwargs)

    @extend_schema(request=PersonSearchSerializer, responses=PersonSerializer(many=True))
    @action(detail=False, methods=["post"])
    def search(self, request):
        """Sök personer bland dem du får se (sidor med ?page=, samma kropp)."""
        self.search_text = self.body(PersonSearchSerializer)["q"]
        return super().list(request)

    @extend_schema(request=None, responses=RegisterLookupSerializer)
    @action(detail=True, methods=["post"], url_path="register-lookup", access="change")
    def register_lookup(self, request, pk=None):
        """Slå upp personen i folkbokföringen och jämför med Kinsight (granskas i loggen;
        ingenting ändras utom markeringen skyddade personuppgifter)."""
        lookup = register_services.register_lookup(actor=request.user, person=self.get_object())
        return Response(lookup_answer(lookup))

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


class RelationshipSerializer(TenantSerializer):
    class Meta:
        model = Relationship
        fields = ["id", "from_person", "to_person", "kind", "valid_from", "valid_to", "version"]
        read_only_fields = ["version"]


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("person", int, description="Relationer för en person.")]
    )
)
class RelationshipViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, TenantViewSet):
    """Relationer: ``from_person`` är <kind> till ``to_person`` (t.ex. förälder till)."""

    model = Relationship
    serializer_class = RelationshipSerializer
    filterset_fields = ["kind", "from_person", "to_person"]

    def rows(self):
        rels = super().rows()
        person = self.request.query_params.get("person")
        if person and person.isdigit():
            rels = rels.filter(from_person_id=person) | rels.filter(to_person_id=person)
        return rels

    def perform_create(self, serializer):
        serializer.instance = services.relationship_add(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.relationship_remove(actor=self.request.user, relationship=instance)
