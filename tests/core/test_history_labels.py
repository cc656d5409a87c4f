"""Every history of changes (order, delivery, workshop) speaks the page's language.

The audit log keeps internal keys (``confirmed_through``, ``line_17_received``) and the actor
``system``; the history display translates them in one place (``core.audit``), so no page shows them.
"""

from django.urls import reverse
from django.utils import translation

from core.audit import audit_history, log_action
from fulfilment.models import Delivery

from .. import factories


def _confirmed_through_the_link(delivery, lines):
    changes = {
        "status": ["delivered", "disputed"],
        "receiver_name": ["", "مریم احمدی"],
        "confirmed_through": [None, "link"],
    }
    for line in lines:
        changes[f"line_{line.pk}_received"] = [line.units, line.units - 2]
        changes[f"line_{line.pk}_rejected"] = [0, 2]
    changes["some_future_key"] = [1, 2]
    log_action(actor=None, obj=delivery, action="delivery.disputed", changes=changes)


def _history_text(delivery):
    return [
        (entry.who, [(change.label, change.before, change.after) for change in entry.changes])
        for entry in audit_history(delivery, action_labels={}, label=lambda key: key, readable=lambda k, v: v)
    ]


def test_a_persian_delivery_history_shows_no_internal_keys_and_names_the_system_in_persian(client_for, coordinator):
    line = factories.DeliveryLineFactory(delivery__health_center__province=coordinator.provinces.first(), units=7)
    delivery = line.delivery
    _confirmed_through_the_link(delivery, [line])
    html = client_for(coordinator).get(reverse("deliveries:detail", args=[delivery.pk])).content.decode()
    history = html[html.index('id="history"') :]
    for raw in ("confirmed_through", "line_", "_received", "some_future_key", ">link<", "system"):
        assert raw not in history, raw
    assert "سامانه" in history  # the system actor
    assert "تأیید از راه" in history and "پیوند" in history  # confirmed through: the link
    assert "ردیف ۱: تعداد دریافت‌شده" in history
    assert "ردیف ۱: تعداد ردشده" in history
    assert "جزئیات دیگر" in history  # an unknown key gets a generic label


def test_lines_are_numbered_in_order_within_an_entry_not_by_database_id(db):
    first = factories.DeliveryLineFactory(units=7)
    second = factories.DeliveryLineFactory(delivery=first.delivery, units=5)
    _confirmed_through_the_link(first.delivery, [second, first])
    with translation.override("en"):
        [(who, changes)] = _history_text(Delivery.objects.get(pk=first.delivery.pk))
    labels = [label for label, _, _ in changes]
    assert who == "System"
    assert "Line 1: units received" in labels and "Line 2: units received" in labels
    assert ("Line 2: units rejected", "0", "2") in changes
    assert ("Confirmed through", None, "The link sent to the receiver") in changes
    assert ("Other detail", "1", "2") in changes
