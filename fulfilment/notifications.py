"""Messages about deliveries (texts in Persian, one SMS page where possible).

Each ``notify_*`` of an event is called from inside the service transaction of
that event, so a rolled-back event sends nothing (see ``core.notifications.notify``).
"""

from __future__ import annotations

from django.urls import reverse

from core.notifications import mobile_or_none, notify
from core.notifications.recipients import coordinators_of, staff_of
from core.notifications.texts import persian_gettext as _
from core.notifications.texts import persian_number
from core.site import absolute_url

from .models import Delivery
from .receiving_links import confirmation_url


def notify_delivery_dispatched(delivery: Delivery) -> None:
    """The health center's staff (and the center's own number, when it is a mobile) get the confirmation link."""
    # fa: همدلی: محموله %(units)s عددی (کد %(code)s) در راه است. تأیید دریافت: %(link)s
    text = _("Hamdeli: a delivery of %(units)s units (code %(code)s) is on its way. Confirm: %(link)s") % {
        "units": persian_number(sum(delivery.lines.values_list("units", flat=True))),
        "code": delivery.short_code,
        "link": confirmation_url(delivery),
    }
    key = f"delivery.dispatched:{delivery.pk}"
    staff = list(staff_of(delivery.health_center_id))
    for user in staff:
        notify(recipient=user, event="delivery.dispatched", text=text, dedupe_key=key, obj=delivery)
    center_mobile = mobile_or_none(delivery.health_center.phone)
    # The center's phone gets its own SMS unless a staff member already receives one on that number.
    if center_mobile and not any(user.mobile == center_mobile and user.notify_by_sms for user in staff):
        notify(phone=center_mobile, event="delivery.dispatched", text=text, dedupe_key=key, obj=delivery)


def notify_delivery_disputed(delivery: Delivery) -> None:
    """The receiver reported differences: the coordinators of the center's province should look."""
    # fa: محموله %(code)s به %(center)s با اختلاف تحویل شد. %(link)s
    text = _("Delivery %(code)s to %(center)s was disputed. %(link)s") % {
        "code": delivery.code,
        "center": delivery.health_center.name,
        "link": absolute_url(reverse("deliveries:detail", args=[delivery.pk])),
    }
    for coordinator in coordinators_of(delivery.health_center.province_id):
        notify(
            recipient=coordinator,
            event="delivery.disputed",
            text=text,
            dedupe_key=f"delivery.disputed:{delivery.pk}",
            obj=delivery,
        )
