import json

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .admin_audit import audit_entries_in_scope, mask_private
from .admin_base import AuditedAdminMixin, HamdeliModelAdmin, ProvinceScopedAdminMixin, ReadOnlyAdminMixin
from .audit import actor_name
from .models import (
    AuditLog,
    City,
    HealthCenter,
    Notification,
    NumberSequence,
    OutboxMessage,
    PasswordResetCode,
    Product,
    Province,
    User,
)
from .password_reset import password_set_by_other
from .roles import user_set_role_group


@admin.register(Province)
class ProvinceAdmin(HamdeliModelAdmin):
    list_display = ["name_fa", "name_en", "code"]
    search_fields = ["name_fa", "name_en", "code"]

    def has_add_permission(self, request):
        return False  # the 31 provinces come from a data migration

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(City)
class CityAdmin(ProvinceScopedAdminMixin, HamdeliModelAdmin):
    list_display = ["name_fa", "name_en", "province", "is_capital"]
    list_filter = ["province", "is_capital"]
    search_fields = ["name_fa", "name_en"]


@admin.register(Product)
class ProductAdmin(AuditedAdminMixin, HamdeliModelAdmin):
    list_display = [
        "code",
        "name_fa",
        "name_en",
        "kind",
        "unit_cost_rials",
        "piece_rate_rials",
        "standard_minutes",
        "is_active",
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_fa", "name_en"]


@admin.register(HealthCenter)
class HealthCenterAdmin(ProvinceScopedAdminMixin, AuditedAdminMixin, HamdeliModelAdmin):
    list_display = ["name", "kind", "province", "city", "contact_person", "phone", "is_active"]
    list_filter = ["kind", "province", "is_active"]
    search_fields = ["name", "contact_person", "phone"]
    list_select_related = ["province", "city"]


class HamdeliUserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("mobile", "full_name", "role")


class HamdeliUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    form = HamdeliUserChangeForm
    add_form = HamdeliUserCreationForm
    audited_fields = (
        "mobile",
        "full_name",
        "role",
        "is_national",
        "health_center",
        "is_staff",
        "is_active",
        "is_superuser",
    )
    list_display = ["mobile", "full_name", "role", "is_national", "is_active"]
    list_filter = ["role", "is_national", "is_active", "provinces"]
    search_fields = ["mobile", "full_name", "email"]
    ordering = ["full_name"]
    filter_horizontal = ["provinces", "groups", "user_permissions"]
    fieldsets = (
        (None, {"fields": ("mobile", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email")}),
        (_("Role and scope"), {"fields": ("role", "is_national", "provinces", "health_center")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Notifications"), {"fields": ("notify_by_sms", "notify_by_email", "reminders_opt_out")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("mobile", "full_name", "role", "password1", "password2")}),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_set_role_group(form.instance)
        if not change and form.instance.has_usable_password():
            password_set_by_other(actor=request.user, user=form.instance)  # the admin knows it: she picks her own

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # the password was set
            password_set_by_other(actor=request.user, user=self.get_object(request, id))
        return response

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    """The audit trail, read-only: a coordinator sees entries about objects of her provinces only.

    Shebas and IP addresses are shown in full to superusers only; everyone else sees them masked
    (``IR******1234``), since a coordinator needs to know that a Sheba changed, not the account.
    """

    list_display = ["created_at", "who", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_repr", "action"]
    readonly_fields = [f.name for f in AuditLog._meta.fields] + ["masked_changes", "masked_note"]

    def get_queryset(self, request):
        return audit_entries_in_scope(super().get_queryset(request), request.user)

    def get_fields(self, request, obj=None):
        fields = [f.name for f in AuditLog._meta.fields if f.name != "id"]
        if request.user.is_superuser:
            return fields
        return [{"changes": "masked_changes", "note": "masked_note"}.get(name, name) for name in fields]

    @admin.display(description=_("actor"), ordering="actor_repr")
    def who(self, obj):
        # The same name the pages' histories show: "سامانه" for automatic work, not the stored "system".
        return actor_name(obj)

    @admin.display(description=_("changes"))
    def masked_changes(self, obj):
        return json.dumps(mask_private(obj.changes), ensure_ascii=False)

    @admin.display(description=_("note"))
    def masked_note(self, obj):
        return mask_private(obj.note)


@admin.register(PasswordResetCode)
class PasswordResetCodeAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    """Codes asked for and their fate; only a keyed hash of each code is stored, never shown."""

    list_display = ["created_at", "user", "expires_at", "attempts", "used_at"]
    list_select_related = ["user"]
    search_fields = ["user__mobile", "user__full_name"]
    exclude = ["code_hash"]
    readonly_fields = ["user", "created_at", "expires_at", "attempts", "used_at"]


@admin.register(NumberSequence)
class NumberSequenceAdmin(HamdeliModelAdmin):
    list_display = ["prefix", "year", "last_value"]
    readonly_fields = ["prefix", "year", "last_value"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    """What was sent to whom: written by ``core.notifications.notify``, never edited by hand."""

    list_display = ["created_at", "event", "recipient", "channel", "phone", "email", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["phone", "email", "text", "recipient__full_name", "dedupe_key"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, HamdeliModelAdmin):
    """Background tasks and whether they reached the broker: unsent rows mean Redis was (or is) unreachable."""

    list_display = ["created_at", "task_name", "args", "object_key", "sent_at", "attempts", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "task_name"]
    search_fields = ["task_name", "object_key"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
