"""Admin building blocks shared by every app.

- Dates are typed and shown in Jalali.
- Changes to money or quantities are written to the audit log with before/after.
- A coordinator sees and edits only rows of her provinces; others 404.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models, transaction

from .audit import diff, log_action, snapshot
from .forms import JalaliDateField, LocalizedDecimalField, LocalizedIntegerField, PlainTextField
from .scoping import scope_by_province


class HamdeliModelAdmin(admin.ModelAdmin):
    # Admin inputs accept Persian digits and Jalali dates like every other form.
    formfield_overrides = {
        models.DateField: {"form_class": JalaliDateField},
        models.DecimalField: {"form_class": LocalizedDecimalField},
        models.IntegerField: {"form_class": LocalizedIntegerField},
        models.PositiveIntegerField: {"form_class": LocalizedIntegerField},
        models.PositiveSmallIntegerField: {"form_class": LocalizedIntegerField},
        models.PositiveBigIntegerField: {"form_class": LocalizedIntegerField},
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Plain text columns (not our Persian/ID fields, which bring their own form fields) drop
        # invisible direction controls too, like every other text box in the project.
        if type(db_field) in (models.CharField, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", PlainTextField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class AuditedAdminMixin:
    """Logs create/change/delete of the ``audited_fields`` through ``core.audit.log_action``."""

    audited_fields: tuple[str, ...] = ()

    def save_model(self, request, obj, form, change):
        fields = self.audited_fields or tuple(f.name for f in obj._meta.concrete_fields if f.name != "id")
        with transaction.atomic():
            before = {}
            if change:
                before = snapshot(type(obj).objects.get(pk=obj.pk), fields)
            super().save_model(request, obj, form, change)
            after = snapshot(obj, fields)
            changes = diff(before, after)
            if changes or not change:
                log_action(
                    actor=request.user, obj=obj, action="admin.change" if change else "admin.create", changes=changes
                )

    def delete_model(self, request, obj):
        fields = self.audited_fields or tuple(f.name for f in obj._meta.concrete_fields if f.name != "id")
        with transaction.atomic():
            log_action(actor=request.user, obj=obj, action="admin.delete", changes=diff(snapshot(obj, fields), {}))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # Bulk delete would skip delete_model and so the audit log; delete one by one.
        for obj in queryset:
            self.delete_model(request, obj)


class ProvinceScopedAdminMixin:
    """Limit rows and province choices to the coordinator's provinces."""

    province_field = "province"

    def get_queryset(self, request):
        return scope_by_province(super().get_queryset(request), request.user, self.province_field)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from .models import City, Province

        if db_field.related_model is Province:
            kwargs["queryset"] = scope_by_province(Province.objects.all(), request.user, field="pk")
        elif db_field.related_model is City:
            kwargs["queryset"] = scope_by_province(City.objects.select_related("province"), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdminMixin:
    """For records that only services write (audit log, quantities): the admin shows, never edits."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """The lines of a record that only services write (a pickup's, a delivery's): shown, never added or removed."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False
