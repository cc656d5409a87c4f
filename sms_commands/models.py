from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Province


class Outcome(models.TextChoices):
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")
    ANSWERED = "answered", _("Answered")  # help, status: nothing written
    NOT_UNDERSTOOD = "not_understood", _("Not understood")
    UNKNOWN_SENDER = "unknown_sender", _("Unknown sender")
    RATE_LIMITED = "rate_limited", _("Too many messages")


class InboundMessage(models.Model):
    """One text message the gateway delivered to us, kept with what it did and what we answered.

    ``gateway_id`` is the gateway's own message id and unique: a gateway that
    delivers a message twice (a retried callback) finds the first row and gets
    the same reply, and nothing is done twice. ``province`` is the sender's
    workshop's or health center's at the time, so a coordinator's log is scoped
    even when the sender is later moved; unknown senders have none and only
    national coordinators see them.
    """

    gateway_id = models.CharField(_("gateway message id"), max_length=100, unique=True)
    sender = models.CharField(_("sender number"), max_length=20)
    text = models.CharField(_("text"), max_length=1000)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sender"),
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    command = models.CharField(_("command"), max_length=20, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reply = models.CharField(_("reply"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("inbound SMS")
        verbose_name_plural = _("inbound SMS")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["province", "-received_at"], name="sms_in_province_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(outcome__in=Outcome.values), name="sms_in_outcome_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.sender}: {self.text[:40]}"
