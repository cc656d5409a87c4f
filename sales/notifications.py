"""The SMS texts of the sales room, always in Persian (``persian_gettext`` as ``_`` so makemessages finds them)."""

from __future__ import annotations

from django.urls import reverse

from core.notifications.texts import persian_gettext as _
from core.site import absolute_url


def returned_text(reason: str) -> str:
    return _("Hamdeli: your showcase listing was returned for changes. Reason: %(reason)s") % {"reason": reason}


def inquiry_received_text(*, inquiry_pk: int, buyer_name: str) -> str:
    link = absolute_url(reverse("my-listing:inquiry", args=[inquiry_pk]))
    return _("Hamdeli: a buyer (%(name)s) sent a message to your showcase listing. Read and answer it: %(link)s") % {
        "name": buyer_name,
        "link": link,
    }


def answer_text(*, shop: str, answer: str, owner_mobile: str | None) -> str:
    """The owner's answer for the buyer; her number only when she chose to share it (``owner_mobile`` given)."""
    if owner_mobile:
        return _("Hamdeli, answer from %(shop)s: %(answer)s Her number: %(mobile)s") % {
            "shop": shop,
            "answer": answer,
            "mobile": owner_mobile,
        }
    return _("Hamdeli, answer from %(shop)s: %(answer)s") % {"shop": shop, "answer": answer}
