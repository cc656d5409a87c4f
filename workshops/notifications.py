"""Messages to a workshop's owner about her workshop (texts in Persian, one SMS page where possible)."""

from __future__ import annotations

from django.utils.text import Truncator

from core.notifications import notify
from core.notifications.texts import persian_gettext as _

from .models import Workshop, WorkshopStatus


def notify_workshop_status(workshop: Workshop, *, occurrence: int) -> None:
    """Tell the owner her workshop was verified or suspended (``occurrence``: the audit entry of the change)."""
    if workshop.status == WorkshopStatus.VERIFIED:
        # fa: همدلی: کارگاه شما تأیید شد؛ از این پس سهمیه دریافت می‌کنید.
        text = _("Hamdeli: your workshop is verified; you can now receive quotas.")
    elif workshop.status == WorkshopStatus.SUSPENDED:
        # fa: همدلی: کارگاه شما معلق شد. دلیل: %(reason)s
        text = _("Hamdeli: your workshop is suspended. Reason: %(reason)s") % {
            "reason": Truncator(workshop.status_reason).chars(40)
        }
    else:
        return
    notify(
        recipient=workshop.owner,
        event=f"workshop.{workshop.status}",
        text=text,
        dedupe_key=f"workshop.{workshop.status}:{workshop.pk}:{occurrence}",
        obj=workshop,
    )
