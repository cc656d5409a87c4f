"""The SMS that invites an imported workshop's owner to finish her sign-up."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import Truncator

from core.notifications import notify
from core.notifications.texts import persian_gettext as _
from core.site import absolute_url

from ..models import Workshop


def notify_owner_invited(workshop: Workshop) -> None:
    """Once per owner (the key names her account): importing her row again, or another file, sends nothing new.

    No code is in the text: she asks for one on the password-reset page, the same path (limits, ten-minute codes,
    a keyed hash only) as a forgotten password, so an invitation read weeks later still works.
    """
    # fa: همدلی: هماهنگ‌کننده کارگاه «…» را به نام شما ثبت کرد؛ با همین شماره در … رمز بگذارید.
    text = _(
        "Hamdeli: a coordinator registered the workshop “%(name)s” in your name. To finish signing up, set a "
        "password at %(url)s with this number and check your workshop's details."
    ) % {"name": Truncator(workshop.name).chars(30), "url": absolute_url(reverse("password_reset"))}
    notify(
        recipient=workshop.owner,
        event="workshop.invited",
        text=text,
        dedupe_key=f"workshop.invited:{workshop.owner_id}",
        obj=workshop,
    )
