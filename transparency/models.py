"""The coordinator's keys to the open-data API's province endpoints."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import PersianCharField

NAME_MAX_LENGTH = 100


class ApiToken(models.Model):
    """A key a coordinator issued for a program that reads her provinces' orders, quotas and deliveries.

    Only the key's SHA-256 is stored: the key itself is shown once, when it is issued, and a short ``prefix``
    lets her tell her keys apart afterwards. A key is high-entropy (``secrets.token_urlsafe(32)``), so a plain
    hash is enough: there is nothing to guess from it. A revoked token stays, with its dates, for the record.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("issued to")
    )
    name = PersianCharField(_("name"), max_length=NAME_MAX_LENGTH)
    prefix = models.CharField(_("beginning of the key"), max_length=16, editable=False)
    key_hash = models.CharField(_("key fingerprint"), max_length=64, unique=True, editable=False)
    # The issuing form's key: the same form sent twice (a double click) issues one token.
    submission_key = models.UUIDField(_("submission key"), null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(key_hash__regex=r"^[0-9a-f]{64}$"), name="api_token_key_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
