"""Messages to donors and the coordinators' digest (texts in Persian, one SMS page where possible)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from core.models import User
from core.notifications import notify
from core.notifications.texts import persian_gettext as _
from core.notifications.texts import persian_number
from core.site import absolute_url
from crisis.models import SeverityLevel

from .models import Pledge


def notify_pledge_confirmed(pledge: Pledge) -> None:
    """The donor's money arrived: thank her, name the reference she quoted, and link to My giving (the receipt)."""
    # fa: همدلی: کمک %(amount)s ریالی شما (کد %(reference)s) رسید. سپاس! رسید: %(link)s
    text = _(
        "Hamdeli: your gift of %(amount)s rials (reference %(reference)s) arrived. Thank you! Receipt: %(link)s"
    ) % {
        "amount": persian_number(pledge.received_amount_rials),
        "reference": pledge.reference,  # codes are Latin everywhere: she types it into her bank's form
        "link": absolute_url(reverse("giving:mine")),
    }
    notify(
        recipient=pledge.donor.user,
        event="pledge.confirmed",
        text=text,
        dedupe_key=f"pledge.confirmed:{pledge.pk}",
        obj=pledge,
    )


def notify_coordinator_digest(
    coordinator: User, day: dt.date, counts: dict[str, int], crisis: list[tuple] = ()
) -> list:
    """Morning list of what waits for the coordinator (once per coordinator per day), with her provinces in
    crisis (``crisis.selectors.provinces_in_crisis``) at the end, most severe first."""
    values = {key: persian_number(value) for key, value in counts.items()}
    # fa: همدلی امروز: %(workshops)s کارگاه منتظر تأیید، %(pledges)s تعهد منتظر،
    #     %(disputed)s تحویل معترض، %(behind)s سهمیه عقب. %(link)s
    text = _(
        "Hamdeli today: %(workshops)s workshops to verify, %(pledges)s pledges waiting, "
        "%(disputed)s disputed deliveries, %(behind)s quotas behind. %(link)s"
    ) % {**values, "link": absolute_url(reverse("home"))}
    if crisis:
        # fa: در بحران: خوزستان قرمز، تهران نارنجی.
        words = {SeverityLevel.YELLOW: _("Yellow"), SeverityLevel.ORANGE: _("Orange"), SeverityLevel.RED: _("Red")}
        places = "، ".join(f"{province.name_fa} {words.get(level, '')}" for province, level in crisis)
        text = f"{text} " + _("In crisis: %(places)s.") % {"places": places}
    return notify(
        recipient=coordinator, event="digest.coordinator", text=text, dedupe_key=f"digest.coordinator:{day.isoformat()}"
    )
