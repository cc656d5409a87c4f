"""Passwords: reset by a one-time SMS code, change when signed in, and the flag for passwords others chose.

The reset answers the same whether or not the number has an account: a code is
made and sent only when it has one, but the page, the limits and the errors are
the same either way. Codes are six digits, kept only as an HMAC keyed with
``SECRET_KEY`` (a database dump hands out nothing), good for
``PASSWORD_RESET_CODE_MINUTES`` and ``PASSWORD_RESET_MAX_ATTEMPTS`` wrong tries.
Asking is limited per number and per address (``PASSWORD_RESET_MAX_PER_NUMBER``,
``PASSWORD_RESET_MAX_PER_ADDRESS`` per ``PASSWORD_RESET_WINDOW_MINUTES``), and so
are tries per address.

The SMS goes straight to the SMS backend after commit rather than through
``notify()``: a Notification row would keep the code in clear text, and a code
that arrives after the broker's outage has already expired anyway.

A new password (reset or change) clears ``must_change_password``; Django's
session hash then logs out every other session of the user, and a reset also
clears the login lockout of the number.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from . import login_throttle, rate_limit
from .audit import log_action
from .models import PasswordResetCode, User
from .notifications import SendError, SmsMessage, get_backend
from .notifications.texts import persian_gettext, persian_number
from .persian import to_persian_digits, ui_number

logger = logging.getLogger("hamdeli.auth")

RESET_ACTION = "password.reset"
CHANGE_ACTION = "password.change"
SET_BY_OTHER_ACTION = "password.set_by_other"

WRONG_CODE_MESSAGE = _("The code is not correct or has expired. Check the number, or ask for a new code.")
TOO_MANY_MESSAGE = _("Too many codes were asked for. Please try again in %(minutes)s minutes.")


def code_minutes() -> int:
    return getattr(settings, "PASSWORD_RESET_CODE_MINUTES", 10)


def max_attempts() -> int:
    return getattr(settings, "PASSWORD_RESET_MAX_ATTEMPTS", 5)


def max_per_number() -> int:
    return getattr(settings, "PASSWORD_RESET_MAX_PER_NUMBER", 3)


def max_per_address() -> int:
    return getattr(settings, "PASSWORD_RESET_MAX_PER_ADDRESS", 10)


def window_minutes() -> int:
    return getattr(settings, "PASSWORD_RESET_WINDOW_MINUTES", 60)


def _hash(user: User, code: str) -> str:
    # Keyed with the user's id too, so a row copied onto another user matches nothing.
    return salted_hmac("core.password_reset.code", f"{user.pk}:{code}").hexdigest()


def _too_many() -> ValidationError:
    return ValidationError(TOO_MANY_MESSAGE, code="too_many", params={"minutes": ui_number(window_minutes())})


# Marked with gettext_noop so makemessages keeps its Persian translation; the SMS reads the Persian
# catalogue directly (core.notifications.texts), whatever language the page was in.
SMS_TEXT = gettext_noop(
    "Hamdeli: your code for a new password is %(code)s. It is valid for %(minutes)s minutes. Do not give it to anyone."
)


def _sms_text(code: str) -> str:
    return persian_gettext(SMS_TEXT) % {"code": to_persian_digits(code), "minutes": persian_number(code_minutes())}


def _send(mobile: str, text: str) -> None:
    try:
        get_backend().send_messages([SmsMessage(to=mobile, text=text)])
    except SendError:
        # The page already said "if the number has an account, a code is on its way": she can ask again.
        logger.exception("Password reset code not sent to %s", mobile)


def _live_codes(user: User):
    return PasswordResetCode.objects.filter(user=user, used_at__isnull=True)


@transaction.atomic
def password_reset_request(*, mobile: str, ip: str) -> None:
    """Send a new code to ``mobile`` when it belongs to an active account; refuse only over the limits.

    Raises ``ValidationError`` (code ``too_many``) when this address or this
    number asked too often, counted the same for numbers without an account.
    A new code retires the older ones of the user.
    """
    address_ok = rate_limit.hit("reset-address", ip, limit=max_per_address(), window_minutes=window_minutes())
    number_ok = rate_limit.hit("reset-number", mobile, limit=max_per_number(), window_minutes=window_minutes())
    if not (address_ok and number_ok):
        raise _too_many()
    user = User.objects.select_for_update().filter(mobile=mobile, is_active=True).first()
    if user is None:
        return
    now = timezone.now()
    _live_codes(user).update(used_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    PasswordResetCode.objects.create(
        user=user, code_hash=_hash(user, code), created_at=now, expires_at=now + timedelta(minutes=code_minutes())
    )
    text = _sms_text(code)
    transaction.on_commit(lambda: _send(user.mobile, text))


@transaction.atomic
def _check_code(*, mobile: str, code: str) -> User | None:
    """The user when ``code`` is her live code; a wrong try is counted (and committed: the caller raises later)."""
    user = User.objects.filter(mobile=mobile, is_active=True).first()
    if user is None:
        return None
    row = _live_codes(user).select_for_update().filter(expires_at__gt=timezone.now()).order_by("-created_at").first()
    if row is None:
        return None
    if constant_time_compare(row.code_hash, _hash(user, code)):
        return user
    row.attempts += 1
    if row.attempts >= max_attempts():
        row.used_at = timezone.now()  # spent: guessing on needs a new code, which the send limits slow
    row.save(update_fields=["attempts", "used_at"])
    return None


@transaction.atomic
def _set_from_code(*, user: User, code: str, new_password: str) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    now = timezone.now()
    row = _live_codes(user).filter(expires_at__gt=now).order_by("-created_at").first()
    if row is None or not constant_time_compare(row.code_hash, _hash(user, code)):
        raise ValidationError({"code": WRONG_CODE_MESSAGE})  # used by a twin request a moment ago
    was_forced = user.must_change_password
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    _live_codes(user).update(used_at=now)
    log_action(
        actor=user,
        obj=user,
        action=RESET_ACTION,
        changes={"must_change_password": [was_forced, False]},
        note="new password set with an SMS code",
    )
    return user


def password_reset_confirm(*, mobile: str, code: str, new_password: str, ip: str) -> User:
    """Set ``new_password`` for the owner of ``mobile`` when ``code`` is her live code.

    Errors name the field: ``code`` for a wrong, expired, spent or unknown code
    (one message for all, numbers without an account included), ``new_password1``
    for a password the validators refuse (the code then stays usable).
    """
    tries = max_attempts() * max_per_address()
    if not rate_limit.hit("reset-try", ip, limit=tries, window_minutes=window_minutes()):
        raise ValidationError({"code": _too_many()})
    user = _check_code(mobile=mobile, code=code)
    if user is None:
        raise ValidationError({"code": WRONG_CODE_MESSAGE})
    try:
        password_validation.validate_password(new_password, user=user)
    except ValidationError as error:
        raise ValidationError({"new_password1": error.error_list}) from None
    user = _set_from_code(user=user, code=code, new_password=new_password)
    login_throttle.clear_number(user.mobile)
    return user


@transaction.atomic
def password_change(*, user: User, new_password: str) -> User:
    """Her own new password (already validated by the form); clears ``must_change_password``."""
    user = User.objects.select_for_update().get(pk=user.pk)
    was_forced = user.must_change_password
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    log_action(actor=user, obj=user, action=CHANGE_ACTION, changes={"must_change_password": [was_forced, False]})
    return user


@transaction.atomic
def password_set_by_other(*, actor: User | None, user: User) -> User:
    """A coordinator or an admin chose ``user``'s password: she must choose her own at her next login."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if actor is not None and actor.pk == user.pk:
        return user  # her own password, set through a form meant for others: nothing to force
    was_forced = user.must_change_password
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    log_action(actor=actor, obj=user, action=SET_BY_OTHER_ACTION, changes={"must_change_password": [was_forced, True]})
    return user
