"""Writes of online giving: start a payment, settle it when the bank calls back, ask the bank again later.

The rules the gateway library does not keep, kept here:

- the amount is ours: the bank is asked to verify the amount of *our* row (the library's row must hold the
  same, or the payment fails), and the bank refuses (-50) when the payer paid another amount;
- the reference is ours: a callback names an authority; only a row we created for it is settled, and a
  verify answer counts only with the bank's code 100/101 *and* a ref_id;
- the money is credited once: the row is re-read under ``select_for_update`` in ``transaction.atomic`` and
  only a pending row moves (to paid, failed or expired). "Already verified" (101) is a success only for a
  row still pending (our earlier verify whose answer was lost); for a settled row it changes nothing.

The bank is asked outside any lock, so a slow bank holds no row: two callbacks at once may both ask (the
second hears 101), and the lock decides which one credits.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Role, User
from core.services import user_create
from orders.models import Order

from ..models import Campaign, Donor, OnlinePayment, OnlinePaymentStatus, PledgeStatus
from ..services.pledges import donor_register, pledge_cancel, pledge_confirm, pledge_create
from . import gateway

PENDING = OnlinePaymentStatus.PENDING
# Zarinpal's "nothing was paid in this session" (-51) and "the amounts differ" (-50): a settled no.
NOT_PAID_CODES = (-50, -51, -54)


def donor_for_mobile(mobile: str) -> Donor:
    """The donor of a guest's mobile number: her account's profile, or a new account with no password.

    Whatever the number belongs to, the guest sees the same pages: nothing tells her an account exists.
    The new account can be claimed later through "forgot password" (a code sent to that number).
    """
    user = User.objects.filter(mobile=mobile).first()
    if user is None:
        try:
            with transaction.atomic():
                user = user_create(mobile=mobile, full_name=_("Online donor"), role=Role.DONOR, password=None)
        except IntegrityError:  # the same number, a moment ago
            user = User.objects.get(mobile=mobile)
    try:
        return user.donor
    except Donor.DoesNotExist:
        return donor_register(user=user)


def payment_start(
    *,
    request,
    donor: Donor | None,
    amount_rials: int,
    order: Order | None = None,
    campaign: Campaign | None = None,
    guest_mobile: str = "",
    started_by: User | None = None,
) -> tuple[OnlinePayment, str]:
    """Pledge the gift (it holds its share of the order's gap meanwhile) and ask the bank for a payment page.

    Returns the payment and the bank page's address. A bank that cannot be reached or refuses leaves no
    pledge waiting: the pledge is cancelled and the refusal is a ``ValidationError`` for the form. A guest
    (``donor=None``) gets her donor account in the same transaction as the pledge, so a refused gift (above the
    order's gap, say) leaves no account behind.
    """
    if gateway.gateway_name() == "off":
        raise ValidationError(_("Online giving is not available at the moment."))
    with transaction.atomic():
        if donor is None:
            donor = donor_for_mobile(guest_mobile)
        pledge = pledge_create(donor=donor, order=order, campaign=campaign, amount_rials=amount_rials)
        payment = OnlinePayment.objects.create(
            pledge=pledge,
            amount_rials=amount_rials,
            gateway=gateway.gateway_name(),
            guest_mobile=guest_mobile,
            started_by=started_by,
            result_key=secrets.token_urlsafe(16)[:22],
        )
    result_url = request.build_absolute_uri(payment_result_path(payment))
    try:
        authority, page_url = gateway.start(
            request=request, amount_rials=amount_rials, mobile=guest_mobile or donor.user.mobile, result_url=result_url
        )
    except (gateway.BankUnreachable, gateway.BankRefused) as exc:
        _close(payment.pk, OnlinePaymentStatus.FAILED, answer=str(exc) or "unreachable")
        raise ValidationError(_("The bank could not be reached. Nothing was paid; please try again.")) from exc
    OnlinePayment.objects.filter(pk=payment.pk).update(authority=authority)
    payment.authority = authority
    return payment, page_url


def payment_result_path(payment: OnlinePayment) -> str:
    from django.urls import reverse

    return reverse("online:result", kwargs={"key": payment.result_key})


def payment_settle(*, authority: str, bank_says_ok: bool, request=None) -> OnlinePayment | None:
    """The bank sent the payer back: settle the payment named by ``authority`` (None if we never made it)."""
    payment = OnlinePayment.objects.filter(authority=authority).first() if authority else None
    if payment is None or payment.status != PENDING:
        return payment  # unknown, or a replay of a settled one: nothing changes
    if not bank_says_ok:
        return _close(payment.pk, OnlinePaymentStatus.FAILED, answer="NOK")
    return _ask_and_settle(payment, expire_if_unpaid=False, request=request)


def payment_recheck(payment: OnlinePayment, *, now: dt.datetime | None = None) -> OnlinePayment:
    """Ask the bank again about a payment still pending (its callback never came or the bank timed out)."""
    now = now or timezone.now()
    too_old = payment.created_at < now - dt.timedelta(minutes=settings.ONLINE_GIVING_EXPIRE_MINUTES)
    if not payment.authority:
        return _close(payment.pk, OnlinePaymentStatus.EXPIRED, answer="no authority") if too_old else payment
    return _ask_and_settle(payment, expire_if_unpaid=too_old)


def _ask_and_settle(payment: OnlinePayment, *, expire_if_unpaid: bool, request=None) -> OnlinePayment:
    if gateway.library_amount_rials(payment.authority) != payment.amount_rials:
        return _close(payment.pk, OnlinePaymentStatus.FAILED, answer="amount differs from the gateway's row")
    try:
        answer = gateway.verify(authority=payment.authority, request=request)
    except gateway.BankUnreachable:
        OnlinePayment.objects.filter(pk=payment.pk).update(checks=payment.checks + 1)
        if expire_if_unpaid:
            return _close(payment.pk, OnlinePaymentStatus.EXPIRED, answer="bank unreachable")
        payment.refresh_from_db()
        return payment  # stays pending: the periodic task asks again
    if answer.verified and answer.authority == payment.authority:
        return _credit(payment.pk, answer)
    if answer.code in NOT_PAID_CODES and not expire_if_unpaid:
        return _close(payment.pk, OnlinePaymentStatus.FAILED, answer=f"{answer.code} {answer.message}")
    if expire_if_unpaid:
        return _close(payment.pk, OnlinePaymentStatus.EXPIRED, answer=f"{answer.code} {answer.message}")
    return _close(payment.pk, OnlinePaymentStatus.FAILED, answer=f"{answer.code} {answer.message}")


def _lock_payment(pk: int) -> OnlinePayment:
    return OnlinePayment.objects.select_for_update().select_related("pledge").get(pk=pk)


@transaction.atomic
def _credit(pk: int, answer: gateway.VerifyAnswer) -> OnlinePayment:
    payment = _lock_payment(pk)
    if payment.status != PENDING:
        return payment  # the other callback (or the task) credited it a moment ago
    pledge_confirm(
        pledge=payment.pledge,
        actor=None,  # the system: the bank confirmed it, no coordinator step
        amount_received_rials=payment.amount_rials,
        bank_reference=f"ZP {answer.ref_id}",
        received_on=timezone.localdate(),
    )
    payment.status = OnlinePaymentStatus.PAID
    payment.bank_reference = answer.ref_id
    payment.bank_answer = f"{answer.code} {answer.message}"[:200]
    payment.settled_at = timezone.now()
    payment.save(update_fields=["status", "bank_reference", "bank_answer", "settled_at"])
    return payment


@transaction.atomic
def _close(pk: int, status: str, *, answer: str) -> OnlinePayment:
    payment = _lock_payment(pk)
    if payment.status != PENDING:
        return payment
    payment.status = status
    payment.bank_answer = answer[:200]
    payment.settled_at = timezone.now()
    payment.save(update_fields=["status", "bank_answer", "settled_at"])
    if payment.pledge.status == PledgeStatus.PLEDGED:
        pledge_cancel(pledge=payment.pledge, actor=None, reason=_("The online payment was not completed."))
    return payment
