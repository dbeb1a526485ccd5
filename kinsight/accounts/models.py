"""API tokens: django-rest-knox's hashed token, with the name and the last use Kinsight
shows on *Mitt konto* (knox's swappable token model, ``KNOX_TOKEN_MODEL``)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    """One personal API token. Only the digest (SHA-512) and the first 15 characters
    (knox's lookup key) are stored; the token itself is shown once, when made.
    ``ref`` names the token on the page and in the audit log without revealing any of
    it."""

    ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("namn"), max_length=100)
    last_used = models.DateTimeField(_("senast använd"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.name
