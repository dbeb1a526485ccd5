"""The register lookup in the API (POST /api/v1/persons/{id}/register-lookup/): the
same service and rules as the page; a protected person's address is never in it."""

from typing import Any

from rest_framework import serializers

from kinsight.people.register.services import Lookup


class FieldRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField(source="label")
    ours = serializers.CharField(help_text="Kinsights värde (tomt när det inte visas).")
    theirs = serializers.CharField(help_text="Folkbokföringens värde (tomt när det inte visas).")
    differs = serializers.BooleanField()
    hidden = serializers.BooleanField(help_text="Skyddad adress: inget värde visas.")
    takeable = serializers.BooleanField()


class RelationRowSerializer(serializers.Serializer):
    role = serializers.CharField(source="relation.role")
    name = serializers.CharField(source="label")
    first_name = serializers.CharField(source="relation.first_name")
    last_name = serializers.CharField(source="relation.last_name")
    protected = serializers.BooleanField(source="relation.protected")
    person = serializers.IntegerField(source="known.pk", allow_null=True, default=None)
    linked = serializers.BooleanField()


class RegisterLookupSerializer(serializers.Serializer):
    found = serializers.BooleanField(source="record.found")
    protected = serializers.BooleanField(source="record.protected")
    protection_set = serializers.BooleanField(
        help_text="Uppslaget markerade personen med skyddade personuppgifter i Kinsight."
    )
    deceased_on = serializers.DateField(source="record.deceased_on", allow_null=True)
    comparison = FieldRowSerializer(source="rows", many=True)
    relations = RelationRowSerializer(many=True)
    version = serializers.IntegerField(source="person.version")


def lookup_answer(lookup: Lookup) -> dict[str, Any]:
    return dict(RegisterLookupSerializer(lookup).data)
