"""What a new owner sees in the sign-up boxes: nothing she must delete first, and honest messages."""

from django.urls import reverse

from workshops.models import Workshop

from .. import factories


def test_step_3_starts_with_empty_machine_and_worker_boxes_and_an_example(client_for, db):
    workshop = factories.WorkshopFactory(status="pending")  # just registered: machines and workers hold the default 1
    page = client_for(workshop.owner).get(reverse("workshops:bank")).text
    assert 'value="1"' not in page and 'value="۱"' not in page
    assert 'placeholder="مثلاً ۳"' in page


def test_a_number_typed_into_step_3_is_saved_as_typed(client_for, db):
    workshop = factories.WorkshopFactory(status="pending")
    client_for(workshop.owner).post(reverse("workshops:bank"), {"sheba": "", "sewing_machines": "۳", "workers": "۲"})
    workshop.refresh_from_db()
    assert (workshop.sewing_machines, workshop.workers) == (3, 2)


def test_the_profile_page_still_shows_the_saved_size_in_persian_digits(client_for, db):
    workshop = factories.WorkshopFactory(sewing_machines=12, workers=4)
    page = client_for(workshop.owner).get(reverse("workshops:profile")).text
    assert 'value="۱۲"' in page and 'value="۴"' in page


def test_after_a_sign_up_error_the_page_says_the_passwords_must_be_typed_again(client, db):
    data = {
        "mobile": "0912abc1234567",
        "full_name": "مریم",
        "password1": "sew-gowns-1405",
        "password2": "sew-gowns-1405",
    }
    page = client.post(reverse("workshops:signup"), data).text
    assert "جز گذرواژه‌ها" in page  # the banner no longer claims everything was kept
    assert "گذرواژه‌ها دوباره نشان داده نمی‌شوند" in page  # next to the password boxes
    assert "sew-gowns-1405" not in page
    assert 'value="مریم"' in page
    assert not Workshop.objects.exists()
