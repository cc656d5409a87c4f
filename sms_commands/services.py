"""An inbound text message: kept once, rate-limited, read by the grammar and done through the web pages' services.

The commands call the same services as the pages (``production.services.quotas``
for output reports and offers, ``fulfilment.services.receiving`` for a
delivery), so the 5% ceiling, the dates, the row locks and the audit entries are
theirs. The gateway's message id is the idempotency key: the row is inserted
first, under its unique id, so a callback delivered twice (even at the same
moment: the second insert waits on the first's key) finds the first row and
its reply, and an output report's key is derived from the same id.

Replies are Persian (a basic phone has no language switch) and say what was
recorded or the service's own refusal. Unknown numbers get one polite sentence
that tells nothing about anyone.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core import rate_limit
from core.audit import log_action
from core.models import Role, User
from core.notifications.backends import SendError, SmsMessage, get_backend
from core.persian import normalize_text, ui_number
from core.validators import normalize_mobile
from fulfilment.services.receiving import ReceivedLine, delivery_confirm
from production.models import Quota, QuotaStatus
from production.services.quotas import output_report, quota_accept, quota_decline

from . import selectors
from .grammar import Action, Command, parse, quota_short_code
from .models import InboundMessage, Outcome

logger = logging.getLogger(__name__)

# Output reports keep a UUID key; the gateway's id (any string) maps to one in this namespace.
_KEY_NAMESPACE = uuid.UUID("5d2f0c1e-6a43-4c55-9a8e-0b7f3c1d2e4a")


@dataclass(frozen=True)
class Result:
    outcome: str
    reply: str


def report_key(gateway_id: str) -> uuid.UUID:
    """The output report's idempotency key for a message: the same gateway id always gives the same key."""
    return uuid.uuid5(_KEY_NAMESPACE, gateway_id)


def _codes(error: ValidationError) -> set[str | None]:
    if hasattr(error, "error_dict"):
        return {item.code for items in error.error_dict.values() for item in items}
    return {item.code for item in error.error_list}


def _short_refusal(error: ValidationError, quota: Quota | None) -> str | None:
    """The refusals an SMS meets every day, in one page (70 Persian characters); the web page's longer text
    stays for the rest."""
    codes = _codes(error)
    if quota is not None and "over_ceiling" in codes:
        quota.refresh_from_db(fields=["produced_units"])
        left = max(quota.max_total_units - quota.produced_units, 0)
        return _("Too many: at most %(left)s more on %(code)s. Nothing recorded.") % {
            "left": ui_number(left),
            "code": _code(quota),
        }
    if quota is not None and "not_accepted" in codes:
        return _("%(code)s is not accepted; nothing recorded.") % {"code": _code(quota)}
    if quota is not None and "not_offered" in codes:
        return _("%(code)s no longer waits for an answer.") % {"code": _code(quota)}
    if "not_verified" in codes:
        return _("Your workshop is not verified now; nothing changed.")
    return None


def _refusal(error: ValidationError | PermissionDenied, quota: Quota | None = None) -> str:
    if isinstance(error, PermissionDenied):
        return _("This is not yours; nothing was changed.")
    return _short_refusal(error, quota) or " ".join(normalize_text(str(message)) for message in error.messages)


def help_text() -> str:
    return _("Report: T 12 [K45]. Status: S. Accept: A K45. Decline: D K45. Delivery: C CODE 40.")


def _code(quota: Quota) -> str:
    return quota_short_code(quota.pk)


def _pick_quota(user: User, command: Command, status: str) -> Quota | Result:
    if command.quota_id is not None:
        quota = selectors.owner_quota(user, command.quota_id)
        if quota is None:
            return Result(
                Outcome.REFUSED, _("You have no quota %(code)s.") % {"code": quota_short_code(command.quota_id)}
            )
        return quota
    candidates = [quota for quota in selectors.sms_quotas_of_owner(user) if quota.status == status]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        return Result(Outcome.REFUSED, _("You have no quota to report on; nothing was recorded."))
    codes = " ".join(_code(quota) for quota in candidates)
    return Result(
        Outcome.REFUSED, _("Several quotas: add the code, e.g. T 12 K45. Yours: %(codes)s") % {"codes": codes}
    )


def _report(user: User, command: Command, gateway_id: str) -> Result:
    quota = _pick_quota(user, command, QuotaStatus.ACCEPTED)
    if isinstance(quota, Result):
        return quota
    try:
        report, _created = output_report(
            quota=quota, owner=user, quantity=command.quantity, idempotency_key=report_key(gateway_id)
        )
    except ValidationError as error:  # the service rolled its own work back; say why in one SMS page
        return Result(Outcome.REFUSED, _refusal(error, quota))
    quota.refresh_from_db(fields=["produced_units"])
    return Result(
        Outcome.DONE,
        _("Recorded: %(units)s today on %(code)s. Total %(total)s of %(target)s.")
        % {
            "units": ui_number(report.quantity),
            "code": _code(quota),
            "total": ui_number(quota.produced_units),
            "target": ui_number(quota.target_units),
        },
    )


def _answer_offer(user: User, command: Command) -> Result:
    quota = _pick_quota(user, command, QuotaStatus.OFFERED)
    if isinstance(quota, Result):
        return quota
    values = {"code": _code(quota), "units": ui_number(quota.quantity)}
    try:
        if command.action is Action.ACCEPT:
            quota_accept(quota=quota, owner=user)
            return Result(Outcome.DONE, _("Accepted: %(code)s, %(units)s units.") % values)
        quota_decline(quota=quota, owner=user, reason=_("Declined by SMS."))
    except ValidationError as error:
        return Result(Outcome.REFUSED, _refusal(error, quota))
    return Result(Outcome.DONE, _("Declined: %(code)s.") % values)


def _status(user: User) -> Result:
    quotas = selectors.sms_quotas_of_owner(user)
    if not quotas:
        return Result(Outcome.ANSWERED, _("You have no open quotas."))
    parts = []
    for quota in quotas:
        if quota.status == QuotaStatus.OFFERED:
            parts.append(_("%(code)s offered %(units)s") % {"code": _code(quota), "units": ui_number(quota.quantity)})
        else:
            parts.append(
                _("%(code)s: %(done)s of %(target)s")
                % {
                    "code": _code(quota),
                    "done": ui_number(quota.produced_units),
                    "target": ui_number(quota.target_units),
                }
            )
    return Result(Outcome.ANSWERED, "، ".join(parts))


def _receive(user: User, command: Command) -> Result:
    delivery = selectors.delivery_by_code(command.delivery_code)
    if delivery is None or user.health_center_id is None or delivery.health_center_id != user.health_center_id:
        return Result(Outcome.REFUSED, _("No delivery with this code for your center; nothing was changed."))
    lines = list(delivery.lines.order_by("id"))
    total = sum(line.units for line in lines)
    if command.quantity == total:
        answers = {line.pk: ReceivedLine(received_units=line.units) for line in lines}
    elif len(lines) == 1:
        answers = {lines[0].pk: ReceivedLine(received_units=command.quantity)}
    else:
        return Result(
            Outcome.REFUSED,
            _("%(sent)s units were sent on several lines; please answer on the sheet's page.")
            % {"sent": ui_number(total)},
        )
    delivery = delivery_confirm(
        delivery=delivery, lines=answers, receiver_name=user.get_full_name() or user.mobile, actor=user
    )
    if command.quantity == total:
        return Result(Outcome.DONE, _("Delivery confirmed: %(units)s units received.") % {"units": ui_number(total)})
    return Result(
        Outcome.DONE,
        _("Recorded with a difference: %(received)s of %(sent)s units received.")
        % {"received": ui_number(command.quantity), "sent": ui_number(total)},
    )


def _run(user: User, command: Command, gateway_id: str) -> Result:
    if command.action is Action.HELP:
        return Result(Outcome.ANSWERED, help_text())
    if command.action is Action.UNKNOWN:
        return Result(Outcome.NOT_UNDERSTOOD, _("Not understood. Send HELP for the commands."))
    if command.action is Action.RECEIVE:
        if user.role != Role.HEALTH_CENTER_STAFF:
            return Result(Outcome.REFUSED, _("Only a health center's staff can confirm a delivery."))
        return _receive(user, command)
    if user.role != Role.WORKSHOP_OWNER:
        return Result(Outcome.REFUSED, _("These commands are for workshop owners. Send HELP."))
    if command.action is Action.STATUS:
        return _status(user)
    if command.action is Action.REPORT:
        return _report(user, command, gateway_id)
    return _answer_offer(user, command)


def _sender_province_id(user: User | None) -> int | None:
    if user is None:
        return None
    workshop = getattr(user, "workshop", None)
    if workshop is not None:
        return workshop.province_id
    return user.health_center.province_id if user.health_center_id else None


def _within_rate_limit(number: str) -> bool:
    return rate_limit.hit(
        "sms-inbound",
        number,
        limit=getattr(settings, "SMS_INBOUND_MAX_PER_HOUR", 30),
        window_minutes=60,
    )


def _answer(message: InboundMessage, user: User | None) -> Result:
    if not _within_rate_limit(message.sender):
        # No reply: answering every message of a flood would send as many as it receives.
        return Result(Outcome.RATE_LIMITED, "")
    if user is None:
        return Result(
            Outcome.UNKNOWN_SENDER,
            _("Hello. This number is not registered with Hamdeli. Please ask your coordinator."),
        )
    command = parse(message.text)
    message.command = command.action.value
    try:
        with transaction.atomic():
            return _run(user, command, message.gateway_id)
    except (ValidationError, PermissionDenied) as error:
        return Result(Outcome.REFUSED, _refusal(error))


def _send(reply: SmsMessage) -> None:
    """The reply goes out after the commit; a gateway failure is logged, the message stays recorded."""
    try:
        get_backend().send_messages([reply])
    except SendError:
        logger.exception("SMS reply to %s failed", reply.to)


def _claim(message: InboundMessage) -> bool:
    """Insert the message under its unique gateway id; False when that id is stored already.

    A twin delivered at the same moment waits here on the first's uncommitted key (PostgreSQL) and, once the
    first commits, finds it: the command runs once.
    """
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        return False
    return True


def sms_receive(*, gateway_id: str, sender: str, text: str) -> tuple[InboundMessage, bool]:
    """Keep, do and answer one inbound message; returns ``(message, created)``.

    A gateway id seen before returns the stored message, with its reply, and does
    nothing again (``created`` False, no second reply sent).
    """
    with translation.override("fa"), transaction.atomic():
        sender = normalize_mobile(sender)[:20]
        user = selectors.sender_user(sender)
        message = InboundMessage(
            gateway_id=gateway_id[:100],
            sender=sender,
            text=text[:1000],
            user=user,
            province_id=_sender_province_id(user),
            outcome=Outcome.NOT_UNDERSTOOD,
        )
        if not _claim(message):
            return selectors.message_with_gateway_id(message.gateway_id), False
        result = _answer(message, user)
        message.outcome = result.outcome
        message.reply = result.reply
        message.save(update_fields=["command", "outcome", "reply"])
        log_action(
            actor=user,
            obj=message,
            action="sms.inbound",
            changes={"outcome": [None, message.outcome]},
            note=message.command,
        )
        if message.reply:
            reply = SmsMessage(to=sender, text=message.reply)
            transaction.on_commit(lambda: _send(reply))
    return message, True
