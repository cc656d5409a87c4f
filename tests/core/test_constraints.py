"""Invariants hold in the database itself, not only in forms."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from core.models import City, Product, Role, User

from .. import factories


def test_a_piece_rate_above_the_unit_cost_is_refused_by_the_database(db):
    mask = factories.product()
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=mask.pk).update(piece_rate_rials=mask.unit_cost_rials + 1)


def test_a_province_cannot_have_two_capitals(db):
    tehran = factories.province("tehran")
    with pytest.raises(IntegrityError), transaction.atomic():
        City.objects.create(province=tehran, name_fa="ری", is_capital=True)


def test_health_center_staff_must_belong_to_a_health_center(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(mobile="09131112233", full_name="بی‌مرکز", role=Role.HEALTH_CENTER_STAFF)


def test_only_coordinators_can_be_national(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(mobile="09131112234", full_name="نیکوکار", role=Role.DONOR, is_national=True)


def test_two_accounts_cannot_share_a_mobile_number_however_it_is_typed(db):
    User.objects.create_user("09131112235", "pw-123456789", full_name="یک", role=Role.DONOR)
    with translation.override("en"), pytest.raises(ValidationError, match=r"(?i)mobile number already exists"):
        User.objects.create_user("۰۹۱۳۱۱۱۲۲۳۵", "pw-123456789", full_name="دو", role=Role.DONOR)
