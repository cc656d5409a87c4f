from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from .. import factories


def _admin_client(client):
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True, role="coordinator", is_national=True))
    return client


def test_every_project_model_is_registered_in_the_admin():
    for app_label in ("core", "workshops", "orders", "donors", "reports", "transparency"):
        for model in apps.get_app_config(app_label).get_models():
            assert admin.site.is_registered(model), f"{model.__name__} is missing from the admin"


def test_admin_index_lists_every_model_by_its_persian_name(client, db):
    response = _admin_client(client).get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="fa")
    assert response.status_code == 200
    with translation.override("fa"):
        for model in admin.site._registry:
            assert str(model._meta.verbose_name_plural) in response.text
            assert not str(model._meta.verbose_name_plural).isascii(), f"{model.__name__} has no Persian name"


def test_every_admin_changelist_opens(client, db):
    client = _admin_client(client)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_coordinator_adds_a_city_only_in_her_own_province(client_for, coordinator):
    client = client_for(coordinator)
    url = reverse("admin:core_city_add")
    form = client.get(url).context["adminform"].form
    assert set(form.fields["province"].queryset.values_list("code", flat=True)) == {"tehran"}
    response = client.post(url, {"province": factories.province("tehran").pk, "name_fa": "ري", "name_en": "Rey"})
    assert response.status_code == 302
    assert coordinator.provinces.get().cities.filter(name_fa="ری").exists()  # Arabic ي stored as ی
    response = client.post(url, {"province": factories.province("isfahan").pk, "name_fa": "کاشان", "name_en": ""})
    assert response.status_code == 200  # refused: not one of her provinces


# --- The audit log in the admin: scoped to the coordinator's provinces, private values masked ------------------


def _audit_world():
    """An entry about a Tehran workshop's Sheba, one about a Fars pledge and a lockout of an Isfahan owner."""
    from core.audit import log_action
    from core.login_throttle import LOCKED_ACTION

    tehran = factories.WorkshopFactory(name="کارگاه تهرانی")
    isfahan = factories.WorkshopFactory(name="کارگاه اصفهانی", province=factories.province("isfahan"))
    fars_order = factories.OrderFactory(
        health_center=factories.HealthCenterFactory(province=factories.province("fars"))
    )
    pledge = factories.PledgeFactory(order=fars_order, amount_rials=77_000_000)
    log_action(
        actor=None,
        obj=tehran,
        action="workshop.profile",
        changes={"sheba": ["IR062960000000100324200001", "IR820540102680020817909002"]},
    )
    log_action(
        actor=None, obj=isfahan, action="workshop.profile", changes={"sheba": ["", "IR550570022880012345671234"]}
    )
    log_action(actor=None, obj=pledge, action="pledge.create", changes={"amount_rials": [None, 77_000_000]})
    log_action(
        actor=None,
        obj=isfahan.owner,
        action=LOCKED_ACTION,
        changes={"login_locked": [False, True]},
        note="5 failed logins from 203.0.113.77; locked for 15 minutes",
    )
    return tehran, isfahan, pledge


def _changelist_objects(client):
    response = client.get(reverse("admin:core_auditlog_changelist"))
    assert response.status_code == 200
    return {(entry.action, entry.object_id) for entry in response.context["cl"].result_list}


def test_the_tehran_coordinator_sees_only_audit_entries_about_tehran_objects(client_for, coordinator):
    tehran, isfahan, pledge = _audit_world()

    seen = _changelist_objects(client_for(coordinator))

    assert ("workshop.profile", str(tehran.pk)) in seen
    assert ("workshop.profile", str(isfahan.pk)) not in seen
    assert ("pledge.create", str(pledge.pk)) not in seen
    assert ("login.locked", str(isfahan.owner.pk)) not in seen


def test_an_audit_entry_of_another_province_is_not_found_for_a_coordinator(client_for, coordinator):
    from core.models import AuditLog

    _, isfahan, _ = _audit_world()
    entry = AuditLog.objects.get(action="workshop.profile", object_id=str(isfahan.pk))

    response = client_for(coordinator).get(reverse("admin:core_auditlog_change", args=[entry.pk]))

    assert response.status_code in (302, 404)  # the admin redirects to its index for an object it cannot find
    assert "IR550570022880012345671234" not in response.content.decode()


def test_the_national_coordinator_sees_every_entry_with_shebas_and_addresses_masked(client_for, national_coordinator):
    from core.models import AuditLog

    _audit_world()
    client = client_for(national_coordinator)

    assert len(_changelist_objects(client)) == 4
    sheba = AuditLog.objects.get(action="workshop.profile", changes__sheba__1="IR550570022880012345671234")
    locked = AuditLog.objects.get(action="login.locked")
    sheba_page = client.get(reverse("admin:core_auditlog_change", args=[sheba.pk])).content.decode()
    locked_page = client.get(reverse("admin:core_auditlog_change", args=[locked.pk])).content.decode()
    assert "IR550570022880012345671234" not in sheba_page
    assert "IR******1234" in sheba_page
    assert "203.0.113.77" not in locked_page
    assert "5 failed logins" in locked_page


def test_a_superuser_sees_shebas_and_addresses_in_full(client, db):
    from core.models import AuditLog

    _audit_world()
    client = _admin_client(client)
    locked = AuditLog.objects.get(action="login.locked")
    sheba = AuditLog.objects.get(action="workshop.profile", changes__sheba__1="IR550570022880012345671234")

    assert "203.0.113.77" in client.get(reverse("admin:core_auditlog_change", args=[locked.pk])).content.decode()
    assert (
        "IR550570022880012345671234"
        in client.get(reverse("admin:core_auditlog_change", args=[sheba.pk])).content.decode()
    )


def test_the_audit_log_list_names_automatic_work_in_persian_not_system(client, db):
    from core.audit import log_action

    log_action(actor=None, obj=factories.WorkshopFactory(), action="workshop.profile")
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True, role="coordinator", is_national=True))
    client.cookies["hamdeli_language"] = "fa"

    page = client.get(reverse("admin:core_auditlog_changelist")).content.decode()

    assert "سامانه" in page
    assert ">system<" not in page
