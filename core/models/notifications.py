from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One message to one recipient on one channel, written before it is sent.

    Rows are created inside the transaction of the event they announce, so a
    rolled-back event leaves no message; ``dedupe_key`` is unique, so the same
    event (or the same day's reminder) never produces two messages. A message to
    a number that belongs to no user (a health center's own mobile) has no
    ``recipient`` and only ``phone``.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=NotificationChannel.choices)
    # The address the message went to, copied at creation so later profile edits do not rewrite history.
    phone = models.CharField(_("mobile number"), max_length=11, blank=True)
    email = models.EmailField(_("email"), blank=True)
    event = models.CharField(_("event"), max_length=60, db_index=True)
    subject = models.CharField(_("subject"), max_length=150, blank=True)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    dedupe_key = models.CharField(_("de-duplication key"), max_length=200, unique=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("object type")
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=NotificationChannel.values), name="notification_channel_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=NotificationStatus.values), name="notification_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(channel=NotificationChannel.SMS) | ~models.Q(phone=""),
                name="notification_sms_has_phone",
            ),
            models.CheckConstraint(
                condition=~models.Q(channel=NotificationChannel.EMAIL) | ~models.Q(email=""),
                name="notification_email_has_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.phone or self.email} ({self.get_status_display()})"
