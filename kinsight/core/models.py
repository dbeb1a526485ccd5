"""Tenancy, organisation and staff: the frame every other record hangs in.

Names follow docs/concepts.md: Municipality (kommun) is the tenant; OrgUnit is a node
of its organisation tree (nämnd → förvaltning/stadsdel → enhet); a Membership gives a
member of staff a role in a node.
"""

import datetime
import logging
import secrets
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from kinsight.access.querysets import AdministeredQuerySet, TenantQuerySet
from kinsight.core import fields
from kinsight.core.validation import ordered

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)


def new_session_salt():
    return secrets.token_hex(16)


class Municipality(models.Model):
    """A kommun: the tenant. Every row with personal data carries one."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    code = models.CharField(
        _("kommunkod"), max_length=4, unique=True, help_text=_("Fyra siffror, t.ex. 1480.")
    )
    is_demo = models.BooleanField(_("demodata"), default=False)

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self):
        return self.name


class NodeKind(models.TextChoices):
    BOARD = "board", _("Nämnd")
    ADMINISTRATION = "administration", _("Förvaltning")
    DISTRICT = "district", _("Stadsdel")
    UNIT = "unit", _("Enhet")


# Which kind of node may hang under which (None: the top of the tree).
ALLOWED_PARENT_KINDS = {
    NodeKind.BOARD: {None},
    NodeKind.ADMINISTRATION: {NodeKind.BOARD},
    NodeKind.DISTRICT: {NodeKind.BOARD, NodeKind.ADMINISTRATION},
    NodeKind.UNIT: {NodeKind.ADMINISTRATION, NodeKind.DISTRICT},
}


class UnitType(models.TextChoices):
    """The 8 unit types where early detection must happen (seed 001)."""

    CHILDREN_YOUTH = "children_youth", _("Barn och ungdom")
    FAMILIES = "families", _("Familjer")
    ADULTS_ADDICTION = "adults_addiction", _("Vuxna (missbruk och beroende)")
    FAMILY_LAW = "family_law", _("Familjerätt")
    ECONOMIC_ASSISTANCE = "economic_assistance", _("Ekonomiskt bistånd")
    DISABILITY = "disability", _("Funktionshinder")
    SOCIAL_PSYCHIATRY = "social_psychiatry", _("Socialpsykiatri")
    VIOLENCE = "violence", _("Våld")


class Versioned(models.Model):
    """Optimistic locking: an edit names the version it started from (see
    kinsight.core.services.save_versioned); a stale one is refused."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class BackgroundJob(models.Model):
    """A row a background task works on and its page polls (kinsight.ui.progress): how
    far the run has come, what went wrong, when it finished. A subclass names its status
    field (``STATUS``), the statuses in which a worker has it (``RUNNING``), how long a
    run may take before it is taken as lost (``STUCK_AFTER``) and since when it runs
    (``running_since``)."""

    STATUS: ClassVar[str] = "status"
    RUNNING: ClassVar[tuple[str, ...]] = ()
    STUCK_AFTER: ClassVar[datetime.timedelta] = datetime.timedelta(hours=1)

    progress = models.PositiveSmallIntegerField(_("klart (%)"), default=0)
    message = models.TextField(_("meddelande"), blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        abstract = True

    def running_since(self) -> datetime.datetime | None:
        raise NotImplementedError

    @property
    def is_running(self) -> bool:
        return getattr(self, self.STATUS) in self.RUNNING

    @property
    def is_stuck(self) -> bool:
        """Running for longer than any run takes: the worker stopped with it, and it
        may be started again."""
        since = self.running_since()
        return self.is_running and since is not None and since < timezone.now() - self.STUCK_AFTER

    def record_failure(self, text: "StrOrPromise", failed: str, **values: object) -> None:
        """In the run's ``except Exception``: log the error (the row's kind and id, no
        personal data) and keep ``text``, in the site's language, as the message the page
        shows, with the status ``failed`` (and ``values``) on the row and this instance."""
        logger.exception("%s %s failed", self._meta.label_lower, self.pk)
        with translation.override(settings.LANGUAGE_CODE):
            values = {self.STATUS: failed, "message": str(text), **values}
        type(self)._base_manager.filter(pk=self.pk).update(**values)
        for name, value in values.items():
            setattr(self, name, value)


class TenantModel(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, editable=False)

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class OrgUnitQuerySet(AdministeredQuerySet):
    """Organisation nodes hold no personal data: all staff of the municipality see
    them (they need them to find a colleague); administrators change them."""


class OrgUnit(TenantModel, Versioned):
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ingår i"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = fields.choice(_("nivå"), NodeKind)
    unit_type = fields.choice(
        _("enhetstyp"),
        UnitType,
        max_length=30,
        blank=True,
        help_text=_("Anges för enheter: styr vilka frågor ärendena ställer."),
    )
    name = models.CharField(_("namn"), max_length=150)
    is_active = models.BooleanField(_("aktiv"), default=True)

    objects: ClassVar = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisationsenhet")
        verbose_name_plural = _("organisationsenheter")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "parent", "name"], name="orgunit_unique_name_per_parent"
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="unit") & ~models.Q(unit_type=""))
                | (~models.Q(kind="unit") & models.Q(unit_type="")),
                name="orgunit_unit_type_only_on_units",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        parent_kind = self.parent.kind if self.parent_id else None
        allowed = ALLOWED_PARENT_KINDS.get(self.kind, set())
        if parent_kind not in allowed:
            if parent_kind is None:
                message = _("En %(kind)s måste ingå i en överordnad nivå.")
            else:
                message = _("En %(kind)s kan inte ingå i en %(parent)s.")
            raise ValidationError(
                {
                    "parent": message
                    % {
                        "kind": NodeKind(self.kind).label.lower(),
                        "parent": NodeKind(parent_kind).label.lower() if parent_kind else "",
                    }
                }
            )
        if self.kind == NodeKind.UNIT and not self.unit_type:
            raise ValidationError({"unit_type": _("Ange enhetstyp för en enhet.")})
        if self.kind != NodeKind.UNIT and self.unit_type:
            raise ValidationError({"unit_type": _("Bara enheter har en enhetstyp.")})


class Role(models.TextChoices):
    CASE_WORKER = "case_worker", _("Socialsekreterare")
    UNIT_MANAGER = "unit_manager", _("Enhetschef")
    HEAD_OF_SERVICES = "head_of_services", _("IFO-chef / verksamhetsutvecklare")
    GROUP_LEADER = "group_leader", _("Gruppledare")
    NETWORK_LEADER = "network_leader", _("Nätverksledare")
    ADMINISTRATOR = "administrator", _("Systemförvaltare")
    LOG_REVIEWER = "log_reviewer", _("Loggranskare / dataskyddsombud")


# Roles that hold for the whole municipality, wherever in the tree they are given.
MUNICIPALITY_WIDE_ROLES = {Role.ADMINISTRATOR, Role.LOG_REVIEWER, Role.NETWORK_LEADER}


class StaffQuerySet(AdministeredQuerySet):
    """Staff names and units are visible to colleagues in the municipality (to assign
    and contact); details and changes are for administrators."""


# Made by assignment, not as a subclass, so that mypy (django-stubs) knows its methods;
# its module is this one, where migrations look it up.
StaffManager = UserManager.from_queryset(StaffQuerySet, "StaffManager")
StaffManager.__module__ = __name__


# The reverse of accounts.ApiToken.user, whose base (knox's) has no type information.
class User(AbstractUser):  # type: ignore[django-manager-missing]
    """A member of staff. Signs in with password and TOTP; belongs to one municipality."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Tomt bara för tekniska driftkonton."),
    )
    title = models.CharField(_("titel"), max_length=100, blank=True)
    # Rotated by "logga ut överallt": every other session's auth hash stops matching.
    session_salt = models.CharField(max_length=32, default=new_session_salt, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects: ClassVar = StaffManager()

    class Meta:
        verbose_name = _("personal")
        verbose_name_plural = _("personal")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_session_auth_hash(self):
        return salted_hmac(
            "kinsight.core.User.session",
            f"{self.password}:{self.session_salt}",
            algorithm="sha256",
        ).hexdigest()

    # Roles are read once per request and kept on the instance.
    @property
    def role_scopes(self):
        from kinsight.access import roles

        return roles.scopes_for(self)

    @property
    def is_administrator(self):
        return Role.ADMINISTRATOR in self.role_scopes

    @property
    def is_log_reviewer(self):
        return Role.LOG_REVIEWER in self.role_scopes

    def units_with_role(self, *role_list):
        """Ids of the nodes (and everything under them) where the user holds a role."""
        found = set()
        for role in role_list:
            found |= self.role_scopes.get(role, set())
        return found


class MembershipQuerySet(AdministeredQuerySet):
    """Roles in units: seen by all staff, given and ended by administrators."""

    def current(self, on=None):
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(
            models.Q(valid_from__lte=day) | models.Q(valid_from__isnull=True),
            models.Q(valid_to__gte=day) | models.Q(valid_to__isnull=True),
        )


class Membership(TenantModel):
    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = fields.choice(_("roll"), Role, max_length=30)
    valid_from = fields.optional_date(_("från"))
    valid_to = fields.optional_date(_("till"))

    objects: ClassVar = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("roll i enhet")
        verbose_name_plural = _("roller i enheter")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} – {self.unit}"

    def clean(self):
        ordered(self.valid_from, self.valid_to, "valid_to")
