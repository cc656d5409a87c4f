"""A user sees only what their role and scope allow; other provinces' objects are 404."""

from django.urls import reverse

from core.models import Role

from .. import factories


def test_anonymous_visitor_is_sent_to_login_for_health_centers(client, db):
    response = client.get(reverse("core:healthcenter-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_workshop_owner_is_forbidden_from_the_health_center_list(client_for, owner):
    assert client_for(owner).get(reverse("core:healthcenter-list")).status_code == 403


def test_coordinator_lists_only_health_centers_of_her_provinces(client_for, coordinator):
    factories.HealthCenterFactory(name="بیمارستان تهرانی", province=factories.province("tehran"))
    factories.HealthCenterFactory(name="بیمارستان اصفهانی", province=factories.province("isfahan"))
    response = client_for(coordinator).get(reverse("core:healthcenter-list"))
    assert response.status_code == 200
    assert "بیمارستان تهرانی" in response.text
    assert "بیمارستان اصفهانی" not in response.text


def test_health_center_of_another_province_is_not_found_for_a_coordinator(client_for, coordinator):
    isfahan_center = factories.HealthCenterFactory(province=factories.province("isfahan"))
    response = client_for(coordinator).get(isfahan_center.get_absolute_url())
    assert response.status_code == 404


def test_health_center_of_her_province_opens_for_a_coordinator(client_for, coordinator):
    center = factories.HealthCenterFactory(name="درمانگاه ولیعصر", phone="02166001122")
    response = client_for(coordinator).get(center.get_absolute_url())
    assert response.status_code == 200
    assert "درمانگاه ولیعصر" in response.text
    assert "۰۲۱۶۶۰۰۱۱۲۲" in response.text  # phone shown with Persian digits


def test_national_coordinator_sees_every_province(client_for, national_coordinator):
    center = factories.HealthCenterFactory(province=factories.province("sistan-baluchestan"))
    assert client_for(national_coordinator).get(center.get_absolute_url()).status_code == 200


def test_health_center_staff_sees_her_own_center_but_not_another(client_for, db):
    staff = factories.HealthCenterStaffFactory()
    other = factories.HealthCenterFactory()
    client = client_for(staff)
    assert client.get(staff.health_center.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404


def test_coordinator_filters_health_centers_by_kind(client_for, coordinator):
    factories.HealthCenterFactory(name="خانه بهداشت الف", kind="health_house")
    factories.HealthCenterFactory(name="بیمارستان ب", kind="hospital")
    response = client_for(coordinator).get(reverse("core:healthcenter-list"), {"kind": "health_house"})
    assert "خانه بهداشت الف" in response.text
    assert "بیمارستان ب" not in response.text


def test_home_page_shows_each_role_its_own_panel(client_for, db):
    workshop = factories.WorkshopFactory(name="کارگاه نور")
    response = client_for(workshop.owner).get(reverse("home"))
    assert "کارگاه نور" in response.text
    donor = factories.PledgeFactory(amount_rials=25_000_000).donor
    response = client_for(donor.user).get(reverse("home"))
    assert "۲۵٬۰۰۰٬۰۰۰" in response.text


def test_coordinator_home_counts_only_her_provinces(client_for, coordinator):
    factories.WorkshopFactory(province=factories.province("tehran"), status="pending")
    factories.WorkshopFactory(province=factories.province("isfahan"), status="pending")
    panel = client_for(coordinator).get(reverse("home")).context["coordinator"]
    assert panel["workshops_total"] == 1
    assert panel["workshops_pending"] == 1


def test_roles_put_users_in_the_matching_group(db):
    user = factories.CoordinatorFactory()
    assert list(user.groups.values_list("name", flat=True)) == ["coordinators"]
    assert user.has_perm("core.add_city")
    donor = factories.UserFactory(role=Role.DONOR)
    assert not donor.has_perm("core.add_city")
