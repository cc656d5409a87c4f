"""Messages about quotas (texts in Persian, one SMS page where possible).

Each ``notify_*`` of an event is called from inside the service transaction of
that event, so a rolled-back event sends nothing (see ``core.notifications.notify``).
An allocation run's offers are the exception by size: the run writes one outbox
message, and after its commit one task records every owner's message in bulk
(``production.notification_tasks.quota_offers_notify``).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from core.models import Notification, User
from core.notifications import Message, notify, notify_many
from core.notifications.recipients import coordinators_of
from core.notifications.texts import persian_date, persian_number
from core.notifications.texts import persian_gettext as _
from core.site import absolute_url

from .models import Quota


def _offer_text(quota: Quota) -> str:
    # fa: همدلی: سهمیه تازه %(units)s %(product)s تا %(date)s. %(link)s
    return _("Hamdeli: new quota of %(units)s %(product)s by %(date)s. %(link)s") % {
        "units": persian_number(quota.quantity),
        "product": quota.order.product.name_fa,
        "date": persian_date(quota.due_date),
        "link": absolute_url(reverse("quotas:detail", args=[quota.pk])),
    }


def notify_quota_offered(quota: Quota) -> None:
    """The owner has a new offer to accept or decline."""
    notify(
        recipient=quota.workshop.owner,
        event="quota.offered",
        text=_offer_text(quota),
        dedupe_key=f"quota.offered:{quota.pk}",
        obj=quota,
    )


def offer_messages(quotas: list[Quota]) -> list[Message]:
    """An allocation run's offers: one message per owner, naming the quota, or the count when she has several.

    The quotas come with ``order__product`` and ``workshop__owner`` loaded. The keys depend only on the run's
    quotas, so recording the same run twice records nothing new.
    """
    by_owner: dict[int, list[Quota]] = {}
    for quota in quotas:
        by_owner.setdefault(quota.workshop.owner_id, []).append(quota)
    inbox = absolute_url(reverse("quotas:inbox"))
    messages = []
    for offered in by_owner.values():
        owner = offered[0].workshop.owner
        if len(offered) == 1:
            (quota,) = offered
            messages.append(
                Message(
                    recipient=owner,
                    event="quota.offered",
                    text=_offer_text(quota),
                    dedupe_key=f"quota.offered:{quota.pk}",
                    obj=quota,
                )
            )
            continue
        # fa: همدلی: %(count)s سهمیه تازه منتظر پاسخ شماست. %(link)s
        text = _("Hamdeli: %(count)s new quotas wait for your answer. %(link)s") % {
            "count": persian_number(len(offered)),
            "link": inbox,
        }
        pks = sorted(quota.pk for quota in offered)
        messages.append(
            Message(
                recipient=owner,
                event="quota.offered",
                text=text,
                # The run's quotas of this owner are new rows: their first and last ids name this offer uniquely.
                dedupe_key=f"quotas.offered:{pks[0]}-{pks[-1]}:{len(pks)}",
                obj=min(offered, key=lambda quota: quota.pk),
            )
        )
    return messages


def notify_quotas_offered(quotas: list[Quota]) -> list[Notification]:
    """Record and queue the run's messages in bulk (``production.notification_tasks.quota_offers_notify`` calls it)."""
    return notify_many(offer_messages(quotas))


def notify_quota_due_soon(quota: Quota) -> None:
    """Due in two days and behind pace: the owner and the coordinators of the workshop's province."""
    values = {
        "produced": persian_number(quota.produced_units),
        "target": persian_number(quota.target_units),
        "date": persian_date(quota.due_date),
        "workshop": quota.workshop.name,
        "order": quota.order.number,
    }
    # fa: همدلی: سهمیه شما %(date)s سررسید است؛ %(produced)s از %(target)s آماده شده.
    owner_text = _("Hamdeli: your quota is due %(date)s; %(produced)s of %(target)s made so far.") % values
    # fa: سهمیه %(workshop)s (%(order)s) عقب است: %(produced)s از %(target)s، سررسید %(date)s
    coordinator_text = _("Quota of %(workshop)s (%(order)s) is behind: %(produced)s of %(target)s, due %(date)s") % (
        values
    )
    key = f"quota.due_soon:{quota.pk}"
    notify(recipient=quota.workshop.owner, event="quota.due_soon", text=owner_text, dedupe_key=key, obj=quota)
    for coordinator in coordinators_of(quota.workshop.province_id):
        notify(recipient=coordinator, event="quota.due_soon", text=coordinator_text, dedupe_key=key, obj=quota)


def notify_output_reminder(owner: User, day: dt.date) -> list:
    """Evening reminder to an owner who has not reported today's output (once per owner per day)."""
    # fa: همدلی: تولید امروز را هنوز ثبت نکرده‌اید. ثبت: %(link)s
    text = _("Hamdeli: you have not reported today's output yet. Report: %(link)s") % {
        "link": absolute_url(reverse("quotas:inbox"))
    }
    return notify(recipient=owner, event="reminder.output", text=text, dedupe_key=f"reminder.output:{day.isoformat()}")
