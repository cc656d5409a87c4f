"""A new owner signs herself up: account, workshop, bank details, capacity; Persian digits everywhere."""

import pytest
from django.urls import reverse

from core.models import AuditLog, Role, User
from workshops.models import Workshop, WorkshopStatus

from .. import factories

PASSWORD = "sew-gowns-1405"
VALID_SHEBA = "IR820540102680020817909002"


def english(client):
    client.cookies["hamdeli_language"] = "en"
    return client


def signup_data(**overrides):
    return {
        "mobile": "۰۹۱۲۳۴۵۶۷۸۹",
        "full_name": "مريم كريمي",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def register_data(**overrides):
    return {
        "name": "خیاطی کریمی",
        "national_id": "۰۰۱۳۵۴۲۴۱۹",
        "city": factories.capital("isfahan").pk,
        "address": "اصفهان، خیابان چهارباغ، کوچه ۱۲",
        **overrides,
    }


def bank_data(**overrides):
    return {"sheba": VALID_SHEBA, "sewing_machines": "۳", "workers": "۲", **overrides}


@pytest.fixture
def new_owner(db):
    """An owner who has an account but has not registered her workshop yet."""
    return factories.UserFactory(role=Role.WORKSHOP_OWNER)


def test_login_page_links_to_the_workshop_sign_up(client, db):
    response = client.get(reverse("login"))
    assert reverse("workshops:signup") in response.text


def test_new_owner_signs_up_with_a_mobile_typed_in_persian_digits_and_is_logged_in(client, db):
    response = client.post(reverse("workshops:signup"), signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:register")
    user = User.objects.get(mobile="09123456789")
    assert user.role == Role.WORKSHOP_OWNER
    assert user.full_name == "مریم کریمی"  # Arabic ي/ك typed, Persian ی/ک stored
    assert user.check_password(PASSWORD)
    assert client.get(reverse("workshops:register")).wsgi_request.user == user


def test_sign_up_with_two_different_passwords_is_refused_and_the_mobile_is_kept(client, db):
    response = english(client).post(reverse("workshops:signup"), signup_data(password2="another-pass-1405"))
    assert response.status_code == 200
    assert "The two passwords are not the same." in response.text
    assert 'value="۰۹۱۲۳۴۵۶۷۸۹"' in response.text
    assert not User.objects.filter(mobile="09123456789").exists()


def test_a_too_short_all_digit_password_is_refused_with_the_password_rules(client, db):
    response = english(client).post(reverse("workshops:signup"), signup_data(password1="1234", password2="1234"))
    assert response.status_code == 200
    assert "This password is too short." in response.text
    assert "This password is entirely numeric." in response.text
    assert not User.objects.filter(mobile="09123456789").exists()


def test_a_mobile_already_registered_gets_a_clear_error_and_a_link_to_log_in(client, db):
    factories.UserFactory(mobile="09123456789", role=Role.DONOR)
    response = english(client).post(reverse("workshops:signup"), signup_data())
    assert response.status_code == 200
    assert "This mobile number is already registered. Log in with it instead." in response.text
    assert f'href="{reverse("login")}"' in response.text
    assert User.objects.filter(mobile="09123456789").count() == 1


def test_an_invalid_mobile_number_is_refused_in_persian(client, db):
    response = client.post(reverse("workshops:signup"), signup_data(mobile="۰۹۱۲۳"))
    assert response.status_code == 200
    assert "شماره" in response.text and 'value="۰۹۱۲۳"' in response.text
    assert User.objects.count() == 0


def test_logged_in_owner_opening_sign_up_goes_to_the_workshop_step(client_for, new_owner):
    response = client_for(new_owner).get(reverse("workshops:signup"))
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:register")


def test_owner_registers_her_workshop_with_a_national_id_typed_in_persian_digits(client_for, new_owner):
    response = client_for(new_owner).post(reverse("workshops:register"), register_data(is_woman_head_of_household="on"))
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:bank")
    workshop = Workshop.objects.get(owner=new_owner)
    assert workshop.national_id == "0013542419"
    assert workshop.province == factories.province("isfahan")  # derived from the city
    assert workshop.status == WorkshopStatus.PENDING
    assert workshop.is_woman_head_of_household
    assert AuditLog.objects.filter(action="workshop.register", object_id=str(workshop.pk)).exists()


@pytest.mark.parametrize("national_id", ["0013542419", "0499370899", "۰۴۹۹۳۷۰۸۹۹", "001-354241-9"])
def test_valid_national_ids_are_accepted(client_for, new_owner, national_id):
    response = client_for(new_owner).post(reverse("workshops:register"), register_data(national_id=national_id))
    assert response.status_code == 302
    assert Workshop.objects.get(owner=new_owner).national_id in {"0013542419", "0499370899"}


def test_an_invalid_national_id_is_refused_and_everything_else_typed_is_kept(client_for, new_owner):
    response = client_for(new_owner).post(reverse("workshops:register"), register_data(national_id="۰۰۱۳۵۴۲۴۱۸"))
    assert response.status_code == 200
    assert "این کد ملی معتبر نیست" in response.text  # next to the field, in Persian
    assert 'value="۰۰۱۳۵۴۲۴۱۸"' in response.text
    assert 'value="خیاطی کریمی"' in response.text
    assert "اصفهان، خیابان چهارباغ، کوچه ۱۲</textarea>" in response.text
    assert f'<option value="{factories.capital("isfahan").pk}" selected>' in response.text
    assert not Workshop.objects.filter(owner=new_owner).exists()


def test_a_national_id_already_used_by_another_workshop_is_refused(client_for, new_owner):
    factories.WorkshopFactory(national_id="0013542419")
    response = client_for(new_owner).post(reverse("workshops:register"), register_data())
    assert response.status_code == 200
    assert not Workshop.objects.filter(owner=new_owner).exists()


def test_city_is_one_select_grouped_by_province(client_for, new_owner):
    response = client_for(new_owner).get(reverse("workshops:register"))
    assert '<select name="city"' in response.text
    assert '<optgroup label="اصفهان">' in response.text
    assert '<optgroup label="تهران">' in response.text
    assert response.text.count("<optgroup") == 31


def test_head_of_household_box_says_it_is_private(client_for, new_owner):
    response = english(client_for(new_owner)).get(reverse("workshops:register"))
    assert "only your provincial coordinators see it" in response.text


def test_owner_who_already_has_a_workshop_is_sent_home_from_the_register_step(client_for, db):
    workshop = factories.WorkshopFactory()
    client = client_for(workshop.owner)
    assert client.get(reverse("workshops:register"))["Location"] == reverse("home")
    response = client.post(reverse("workshops:register"), register_data(national_id="0499370899"))
    assert response["Location"] == reverse("home")
    assert Workshop.objects.filter(owner=workshop.owner).count() == 1


@pytest.mark.parametrize("url_name", ["bank", "profile", "capacity", "availability"])
def test_owner_without_a_workshop_is_sent_to_register_it_first(client_for, new_owner, url_name):
    response = client_for(new_owner).get(reverse(f"workshops:{url_name}"))
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:register")


@pytest.mark.parametrize(
    "typed",
    [VALID_SHEBA, "IR82 0540 1026 8002 0817 9090 02", "IR۸۲ ۰۵۴۰ ۱۰۲۶ ۸۰۰۲ ۰۸۱۷ ۹۰۹۰ ۰۲", "ir820540102680020817909002"],
)
def test_valid_sheba_is_accepted_however_it_is_typed(client_for, db, typed):
    workshop = factories.WorkshopFactory(status=WorkshopStatus.PENDING)
    response = client_for(workshop.owner).post(reverse("workshops:bank"), bank_data(sheba=typed))
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:capacity") + "?signup=1"
    workshop.refresh_from_db()
    assert workshop.sheba == VALID_SHEBA
    assert (workshop.sewing_machines, workshop.workers) == (3, 2)


def test_an_invalid_sheba_is_refused_and_the_other_values_are_kept(client_for, db):
    workshop = factories.WorkshopFactory(status=WorkshopStatus.PENDING)
    typed = "IR82 0540 1026 8002 0817 9090 01"
    response = client_for(workshop.owner).post(
        reverse("workshops:bank"), bank_data(sheba=typed, public_name_consent="on")
    )
    assert response.status_code == 200
    assert "این شماره شبا معتبر نیست" in response.text
    assert f'value="{typed}"' in response.text
    assert 'value="۳"' in response.text and 'value="۲"' in response.text
    assert 'id="id_public_name_consent" checked' in response.text
    workshop.refresh_from_db()
    assert workshop.sheba == ""


def test_sheba_may_be_left_empty_for_now_but_the_page_says_it_is_needed_to_be_paid(client_for, db):
    workshop = factories.WorkshopFactory(status=WorkshopStatus.PENDING)
    client = english(client_for(workshop.owner))
    assert "we need it before we can pay you" in client.get(reverse("workshops:bank")).text
    response = client.post(reverse("workshops:bank"), bank_data(sheba=""))
    assert response.status_code == 302


def test_a_workshop_needs_at_least_one_worker(client_for, db):
    workshop = factories.WorkshopFactory()
    response = client_for(workshop.owner).post(reverse("workshops:bank"), bank_data(workers="۰"))
    assert response.status_code == 200
    workshop.refresh_from_db()
    assert workshop.workers == 1


def test_whole_sign_up_from_account_to_capacity(client, db):
    client.post(reverse("workshops:signup"), signup_data())
    client.post(reverse("workshops:register"), register_data())
    client.post(reverse("workshops:bank"), bank_data(public_name_consent="on"))
    capacity_url = reverse("workshops:capacity") + "?signup=1"
    page = english(client).get(capacity_url)
    assert "Step 4 of 4" in page.text
    mask = factories.product()
    response = client.post(capacity_url, {f"product_{mask.pk}": "۱۵۰", "weekdays": ["5", "6", "0", "1", "2", "3"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    workshop = Workshop.objects.get(owner__mobile="09123456789")
    assert workshop.public_name_consent
    assert workshop.daily_rates() == {mask.pk: 150}
    assert workshop.status == WorkshopStatus.PENDING
