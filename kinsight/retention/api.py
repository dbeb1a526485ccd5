"""The retention API for administrators (everyone else: 404): the rules (read,
update), the proposals (read, approve, reject) and the culling records (read). None of
them names a person, so their reads are not audited; every write is, by the services.
``ROUTES`` (prefix, viewset, basename) are registered on the API router in
config/urls.py."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from kinsight.core.apibase import (
    ReadOnlySerializer,
    TenantViewSet,
    UpdateThroughService,
    VersionedInputSerializer,
    VersionedSerializer,
)
from kinsight.retention import services
from kinsight.retention.models import CullingRecord, Proposal, RetentionRule


class RuleSerializer(VersionedSerializer):
    class Meta:
        model = RetentionRule
        fields = ["id", "kind", "trigger", *services.RULE_FIELDS, "version"]
        read_only_fields = ["kind", "trigger"]


class RuleViewSet(UpdateThroughService, TenantViewSet):
    """Gallringsregler: personakten och undantagen, med lagrum."""

    model = RetentionRule
    serializer_class = RuleSerializer
    audit_reads = ()
    updates = services.rule_update
    updated_as = "rule"
    update_fields = tuple(services.RULE_FIELDS)
    http_method_names = ["get", "patch", "put", "head", "options"]


class ProposalSerializer(ReadOnlySerializer):
    class Meta:
        model = Proposal
        fields = [
            "id",
            "as_of",
            "created_at",
            "status",
            "due",
            "counts",
            "first_approved_by",
            "first_approved_at",
            "second_approved_by",
            "second_approved_at",
            "rejected_by",
            "rejected_at",
            "reject_reason",
            "progress",
            "culled",
            "skipped",
            "message",
            "finished_at",
            "version",
        ]


class RejectSerializer(VersionedInputSerializer):
    reason = serializers.CharField()


class ProposalViewSet(TenantViewSet):
    """Gallringsförslag: två olika systemförvaltare godkänner, sedan gallras i bakgrunden."""

    model = Proposal
    serializer_class = ProposalSerializer
    audit_reads = ()
    filterset_fields = ["status"]
    order_by = ("-created_at", "-pk")

    @extend_schema(request=VersionedInputSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"], access="change")
    def approve(self, request, pk=None):
        """Godkänn: först en systemförvaltare, sedan en annan; då startar gallringen."""
        return self.act(
            VersionedInputSerializer, services.proposal_approve, proposal=self.get_object()
        )

    @extend_schema(request=RejectSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"], access="change")
    def reject(self, request, pk=None):
        """Avslå med ett skäl: inget gallras."""
        return self.act(RejectSerializer, services.proposal_reject, proposal=self.get_object())


class RecordSerializer(ReadOnlySerializer):
    class Meta:
        model = CullingRecord
        fields = [
            "id",
            "proposal",
            "rule",
            "legal_reference",
            "kind",
            "count",
            "culled_at",
            "proposed_at",
            "first_approved_by",
            "second_approved_by",
        ]


class RecordViewSet(TenantViewSet):
    """Gallringsprotokoll: slag, antal, regel, när och vem som godkände; aldrig innehållet."""

    model = CullingRecord
    serializer_class = RecordSerializer
    audit_reads = ()
    order_by = ("-culled_at", "kind")


ROUTES: list[tuple[str, type, str]] = [
    ("retention-rules", RuleViewSet, "retention-rule"),
    ("retention-proposals", ProposalViewSet, "retention-proposal"),
    ("retention-records", RecordViewSet, "retention-record"),
]
