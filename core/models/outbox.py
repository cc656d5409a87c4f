from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A background task waiting to be handed to the broker, written in the transaction of the work it belongs to.

    A page that queues work (an allocation run, a sheet batch, a report, a
    receipt, a notification) commits its rows and this message together, then
    tries the broker. With Redis down the page still succeeds; the message stays
    unsent here and ``outbox_flush`` (beat, every minute) sends it once the
    broker is back. Every task is idempotent, so a message that is sent twice
    (published, then the "sent" mark lost) does no harm. ``object_key`` names
    the row the task works on, so its page can say the work is delayed.
    """

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    object_key = models.CharField(_("object"), max_length=120, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("background task message")
        verbose_name_plural = _("background task messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep and the "delayed" banner only ever look at unsent messages: keep that index small.
            models.Index(fields=["created_at"], condition=models.Q(sent_at__isnull=True), name="outbox_unsent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"
