from django.urls import reverse

from core.audit import diff, log_action, snapshot
from core.models import AuditLog, Product

from .. import factories


def test_audit_entry_records_who_what_and_before_after(db, coordinator):
    mask = factories.product()
    before = snapshot(mask, ["unit_cost_rials"])
    mask.unit_cost_rials = 70_000
    mask.save()
    entry = log_action(
        actor=coordinator, obj=mask, action="product.price", changes=diff(before, {"unit_cost_rials": 70_000})
    )
    assert entry.actor == coordinator
    assert entry.changes == {"unit_cost_rials": [60_000, 70_000]}
    assert entry.object_repr == str(mask)


def test_changing_a_price_in_the_admin_is_audited(client, db):
    admin_user = factories.UserFactory(is_superuser=True, is_staff=True, role="coordinator", is_national=True)
    client.force_login(admin_user)
    mask = factories.product()
    url = reverse("admin:core_product_change", args=[mask.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(unit_cost_rials="۷۵٬۰۰۰", is_active="on")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Product.objects.get(pk=mask.pk).unit_cost_rials == 75_000
    entry = AuditLog.objects.get(action="admin.change", object_id=str(mask.pk))
    assert entry.changes == {"unit_cost_rials": [60_000, 75_000]}
    assert entry.actor == admin_user


def test_workshop_status_change_through_the_service_is_audited(db, coordinator):
    from workshops.services import workshop_set_status

    workshop = factories.WorkshopFactory(status="verified")
    workshop_set_status(workshop=workshop, status="suspended", reason="کیفیت پایین", actor=coordinator)
    entry = AuditLog.objects.filter(action="workshop.status").latest("id")
    assert entry.changes["status"] == ["verified", "suspended"]
    assert entry.changes["status_reason"] == ["", "کیفیت پایین"]


def test_audit_log_cannot_be_edited_or_deleted_in_the_admin(client, db):
    admin_user = factories.UserFactory(is_superuser=True, is_staff=True, role="coordinator", is_national=True)
    client.force_login(admin_user)
    entry = log_action(actor=admin_user, obj=factories.product(), action="test")
    assert client.get(reverse("admin:core_auditlog_change", args=[entry.pk])).status_code == 200
    client.post(reverse("admin:core_auditlog_delete", args=[entry.pk]), {"post": "yes"})
    assert AuditLog.objects.filter(pk=entry.pk).exists()
