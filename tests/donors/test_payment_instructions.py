"""After pledging, the donor is told where to pay and which short reference to quote; coordinators find it by it."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.persian import to_persian_digits
from core.validators import luhn_valid, sheba_with_check_digits
from donors.models import PaymentAccount, Pledge
from tests import factories

pytestmark = pytest.mark.django_db

NATIONAL_SHEBA = sheba_with_check_digits("0170000000123456789001")
TEHRAN_SHEBA = sheba_with_check_digits("0170000000999999999001")
CARD = "6037991234567893"  # passes the Luhn check


@pytest.fixture
def donor():
    return factories.DonorFactory(user__full_name="مریم احمدی")


@pytest.fixture
def national_account():
    return PaymentAccount.objects.create(
        holder_name="انجمن همدلی",
        bank_name="بانک ملی",
        account_number="0101234567",
        sheba=NATIONAL_SHEBA,
        card_number=CARD,
    )


def grouped(sheba: str) -> str:
    """A Sheba as the page prints it: in fours, Persian digits."""
    return to_persian_digits(" ".join(sheba[i : i + 4] for i in range(0, len(sheba), 4)))


def pledge_and_follow(client, order, amount="۵۰٬۰۰۰٬۰۰۰"):
    return client.post(reverse("giving:pledge-order", args=[order.pk]), {"amount_rials": amount}, follow=True)


def test_after_pledging_the_donor_sees_the_account_sheba_card_and_her_reference_as_a_latin_code(
    client_for, donor, national_account
):
    response = pledge_and_follow(client_for(donor.user), factories.OrderFactory(quantity=1000))
    page = response.content.decode()
    pledge = Pledge.objects.get()
    assert response.redirect_chain[-1][0] == reverse("giving:pledge-pay", args=[pledge.pk])
    assert f'data-testid="pledge-reference"><bdi class="doc-code" dir="ltr">{pledge.reference}</bdi><' in page
    assert "انجمن همدلی" in page and "بانک ملی" in page
    assert grouped(NATIONAL_SHEBA) in page
    assert to_persian_digits("6037 9912 3456 7893") in page
    assert "۵۰٬۰۰۰٬۰۰۰" in page
    # ... and is told in Persian to write it in the transfer's description.
    assert f'کد پیگیری <strong><bdi class="doc-code" dir="ltr">{pledge.reference}</bdi></strong> را در شرح' in page


def test_a_pledge_to_an_order_shows_its_provinces_own_account_and_a_campaign_pledge_the_national_one(
    client_for, donor, national_account
):
    PaymentAccount.objects.create(
        province=factories.province("tehran"), holder_name="همدلی تهران", bank_name="بانک ملت", sheba=TEHRAN_SHEBA
    )
    order_pledge = factories.PledgeFactory(donor=donor)  # a Tehran order
    campaign_pledge = factories.PledgeFactory(donor=donor, order=None, campaign=factories.CampaignFactory())
    client = client_for(donor.user)
    tehran = client.get(reverse("giving:pledge-pay", args=[order_pledge.pk])).content.decode()
    national = client.get(reverse("giving:pledge-pay", args=[campaign_pledge.pk])).content.decode()
    assert grouped(TEHRAN_SHEBA) in tehran and grouped(NATIONAL_SHEBA) not in tehran
    assert grouped(NATIONAL_SHEBA) in national


def test_with_no_account_anywhere_the_page_says_a_coordinator_will_call_instead_of_showing_blanks(
    client_for, donor, settings
):
    settings.HAMDELI_PAYMENT_SHEBA = ""
    settings.HAMDELI_PAYMENT_CARD = ""
    settings.HAMDELI_PAYMENT_ACCOUNT = ""
    pledge = factories.PledgeFactory(donor=donor)
    page = client_for(donor.user).get(reverse("giving:pledge-pay", args=[pledge.pk])).content.decode()
    assert 'data-testid="payment-contact"' in page
    assert 'data-testid="payment-account"' not in page
    assert f">{pledge.reference}</bdi>" in page


def test_the_settings_account_is_shown_when_the_admin_has_none(client_for, donor, settings):
    settings.HAMDELI_PAYMENT_HOLDER = "همدلی"
    settings.HAMDELI_PAYMENT_BANK = "بانک تجارت"
    settings.HAMDELI_PAYMENT_SHEBA = NATIONAL_SHEBA
    pledge = factories.PledgeFactory(donor=donor)
    page = client_for(donor.user).get(reverse("giving:pledge-pay", args=[pledge.pk])).content.decode()
    assert "بانک تجارت" in page and grouped(NATIONAL_SHEBA) in page


def test_my_giving_links_an_unconfirmed_pledge_to_its_payment_instructions_and_no_one_else_can_open_them(
    client_for, donor, national_account
):
    pledge = factories.PledgeFactory(donor=donor)
    url = reverse("giving:pledge-pay", args=[pledge.pk])
    mine = client_for(donor.user).get(reverse("giving:mine")).content.decode()
    assert url in mine and f">{pledge.reference}</bdi>" in mine
    stranger = factories.DonorFactory()
    assert client_for(stranger.user).get(url).status_code == 404


def test_references_are_seven_digits_with_a_check_digit_and_differ_between_pledges(db):
    references = {factories.PledgeFactory().reference for _ in range(20)}
    assert len(references) == 20
    assert all(len(ref) == 7 and ref.isdigit() and luhn_valid(ref) for ref in references)


def test_the_coordinator_finds_a_pledge_by_its_reference_typed_in_persian_digits_and_sees_it_on_the_pledge(
    client_for, coordinator
):
    wanted, other = factories.PledgeFactory(), factories.PledgeFactory()
    client = client_for(coordinator)
    found = client.get(reverse("donations:pledge-list"), {"reference": to_persian_digits(wanted.reference)})
    assert [row.record for row in found.context["table"].page.object_list] == [wanted]
    assert other.reference not in found.content.decode()
    detail = client.get(reverse("donations:pledge-detail", args=[wanted.pk])).content.decode()
    assert f'data-testid="pledge-reference"><bdi class="doc-code" dir="ltr">{wanted.reference}</bdi><' in detail


def test_a_card_number_failing_the_luhn_check_or_not_16_digits_is_refused():
    account = PaymentAccount(holder_name="همدلی", bank_name="ملی", card_number="6037991234567890")
    with pytest.raises(ValidationError) as error:
        account.full_clean()
    assert "card_number" in error.value.message_dict
    account.card_number = "۶۰۳۷-۹۹۱۲-۳۴۵۶-۷۸۹۳"
    account.full_clean()
    assert account.card_number == CARD


def test_only_the_national_coordinator_may_change_payment_accounts_in_the_admin(
    rf, coordinator, national_coordinator, national_account
):
    admin = site._registry[PaymentAccount]
    request = rf.get("/")
    request.user = coordinator
    assert not admin.has_change_permission(request, national_account)
    request.user = national_coordinator
    assert admin.has_change_permission(request, national_account)


def test_the_demo_world_tells_its_donors_where_to_pay(settings):
    from django.core.management import call_command

    from donors.payments.selectors import instructions_for

    settings.DEBUG = True
    call_command("seed_demo")
    pledge = Pledge.objects.filter(status="pledged").first()
    instructions = instructions_for(pledge)
    assert instructions is not None and instructions.sheba and luhn_valid(instructions.card_number)


def test_the_national_coordinator_adds_the_national_account_in_the_admin_typing_persian_digits(
    client_for, national_coordinator
):
    client = client_for(national_coordinator)
    response = client.post(
        reverse("admin:donors_paymentaccount_add"),
        {
            "holder_name": "انجمن همدلی",
            "bank_name": "بانک ملی",
            "account_number": "",
            "sheba": to_persian_digits(NATIONAL_SHEBA),
            "card_number": "۶۰۳۷ ۹۹۱۲ ۳۴۵۶ ۷۸۹۳",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account = PaymentAccount.objects.get()
    assert (account.province, account.sheba, account.card_number) == (None, NATIONAL_SHEBA, CARD)
