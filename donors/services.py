"""Write operations on donors and pledges. The donors issue adds confirmation and the ledger."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import log_action
from core.models import Role, User
from orders.models import Order, OrderStatus

from .models import Donor, DonorKind, Pledge


@transaction.atomic
def donor_register(*, user: User, kind: DonorKind | str = DonorKind.INDIVIDUAL, registration_number: str = "") -> Donor:
    if user.role != Role.DONOR:
        raise ValidationError(_("Only a donor account can have a donor profile."))
    donor = Donor(user=user, kind=DonorKind(kind), registration_number=registration_number)
    donor.full_clean()
    donor.save()
    return donor


@transaction.atomic
def pledge_create(
    *, donor: Donor, order: Order, amount_rials: int, is_anonymous: bool = False, message: str = ""
) -> Pledge:
    """Promise money to an order that is open for funding (or already partly funded)."""
    if amount_rials <= 0:
        raise ValidationError({"amount_rials": _("The amount must be more than zero rials.")})
    if order.status not in (OrderStatus.OPEN, OrderStatus.FUNDED):
        raise ValidationError(_("This order is not open for funding."))
    pledge = Pledge(donor=donor, order=order, amount_rials=amount_rials, is_anonymous=is_anonymous, message=message)
    pledge.full_clean()
    pledge.save()
    log_action(actor=donor.user, obj=pledge, action="pledge.create", changes={"amount_rials": [None, amount_rials]})
    return pledge
