"""A user's choice of channels and whether they get the daily reminders."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..audit import diff, log_action, snapshot
from ..models import User

PREFERENCE_FIELDS = ("notify_by_sms", "notify_by_email", "reminders_opt_out", "email")


@transaction.atomic
def notification_preferences_set(
    *, user: User, notify_by_sms: bool, notify_by_email: bool, reminders_opt_out: bool, email: str = ""
) -> User:
    """Save how ``user`` wants to be notified.

    At least one channel stays on: new quotas and deliveries must reach someone.
    Email needs an address.
    """
    email = (email or "").strip()
    if not (notify_by_sms or notify_by_email):
        raise ValidationError(
            {"notify_by_sms": _("Choose SMS, email or both: new quotas and deliveries need a way to reach you.")}
        )
    if notify_by_email and not email:
        raise ValidationError({"email": _("Enter your email address to get messages by email.")})
    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user, PREFERENCE_FIELDS)
    user.notify_by_sms = notify_by_sms
    user.notify_by_email = notify_by_email
    user.reminders_opt_out = reminders_opt_out
    user.email = email
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(PREFERENCE_FIELDS))
    changes = diff(before, snapshot(user, PREFERENCE_FIELDS))
    if changes:
        log_action(actor=user, obj=user, action="user.notification_preferences", changes=changes)
    return user
