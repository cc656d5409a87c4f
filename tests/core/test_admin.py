from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from .. import factories


def _admin_client(client):
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True, role="coordinator", is_national=True))
    return client


def test_every_project_model_is_registered_in_the_admin():
    for app_label in ("core", "workshops", "orders", "donors", "reports"):
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
