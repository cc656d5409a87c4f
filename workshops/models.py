from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_DAILY_UNITS, MAX_PEOPLE_OR_MACHINES, LocalizedMaxValueValidator
from core.fields import NationalIdField, PersianCharField, QuantityField, ShebaField
from core.models import City, Product, Province

from .calendar import DEFAULT_WEEKDAY_MASK, WorkCalendar


class WorkshopStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    SUSPENDED = "suspended", _("Suspended")


class Workshop(models.Model):
    """A home-based sewing workshop, run by one owner (a user with the workshop-owner role).

    Only verified workshops receive production quotas. ``is_woman_head_of_household``
    is private: coordinators see it, the public and donors never do.
    """

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="workshop", verbose_name=_("owner")
    )
    name = PersianCharField(_("workshop name"), max_length=150)
    national_id = NationalIdField(_("owner's national ID"), unique=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    address = PersianCharField(_("address"), max_length=400)
    status = models.CharField(
        _("status"), max_length=20, choices=WorkshopStatus.choices, default=WorkshopStatus.PENDING
    )
    status_reason = models.CharField(_("reason for status"), max_length=400, blank=True)
    is_woman_head_of_household = models.BooleanField(
        _("woman head of household"), default=False, help_text=_("Private: only coordinators see this.")
    )
    sheba = ShebaField(_("Sheba (bank account)"), blank=True, help_text=_("IR followed by 24 digits."))
    sewing_machines = QuantityField(
        _("sewing machines"), default=1, validators=[LocalizedMaxValueValidator(MAX_PEOPLE_OR_MACHINES)]
    )
    workers = QuantityField(_("workers"), default=1, validators=[LocalizedMaxValueValidator(MAX_PEOPLE_OR_MACHINES)])
    working_weekdays = models.PositiveSmallIntegerField(
        _("working weekdays"), default=DEFAULT_WEEKDAY_MASK, help_text=_("Bit n set = works on Python weekday n.")
    )
    public_name_consent = models.BooleanField(
        _("donors may see the workshop's name"), default=False, help_text=_("Otherwise donors only see the city.")
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["province__name_fa", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=WorkshopStatus.values), name="workshop_status_valid"),
            models.CheckConstraint(condition=models.Q(workers__gte=1), name="workshop_has_a_worker"),
            models.CheckConstraint(
                condition=models.Q(working_weekdays__gt=0, working_weekdays__lt=128),
                name="workshop_works_some_weekday",
                violation_error_message=_("Choose at least one working day."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # .all() rather than values_list(): honours prefetch_related, so lists stay one query per relation.
    def work_calendar(self) -> WorkCalendar:
        closed = tuple((period.start_date, period.end_date) for period in self.unavailable_ranges.all())
        return WorkCalendar(self.working_weekdays, closed)

    def daily_rates(self) -> dict[int, int]:
        return {capacity.product_id: capacity.units_per_day for capacity in self.capacities.all()}


class WorkshopCapacity(models.Model):
    """How many units of one product a workshop can make in a working day, if it did nothing else."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="capacities", verbose_name=_("workshop")
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product"))
    units_per_day = QuantityField(_("units per day"), validators=[LocalizedMaxValueValidator(MAX_DAILY_UNITS)])

    class Meta:
        verbose_name = _("daily capacity")
        verbose_name_plural = _("daily capacities")
        ordering = ["workshop", "product"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "product"], name="capacity_unique_product_per_workshop"),
            models.CheckConstraint(condition=models.Q(units_per_day__gt=0), name="capacity_units_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.workshop}: {self.product} × {self.units_per_day}"


class WorkshopUnavailability(models.Model):
    """A date range in which the workshop does not work (travel, illness, holidays)."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="unavailable_ranges", verbose_name=_("workshop")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    reason = PersianCharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unavailable period")
        verbose_name_plural = _("unavailable periods")
        ordering = ["workshop", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="unavailability_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workshop}: {self.start_date} – {self.end_date}"


class WorkshopNote(models.Model):
    """A coordinator's note on a workshop (phone calls, visits, quality remarks)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="notes", verbose_name=_("workshop"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    text = PersianCharField(_("note"), max_length=1000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("workshop note")
        verbose_name_plural = _("workshop notes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class WorkshopChangeRequest(models.Model):
    """A verified workshop's move to another province or new Sheba, waiting for her coordinator's approval.

    Once a coordinator has verified a workshop, its province decides who
    coordinates it and its Sheba where its money goes; the owner may not change
    either alone. The request is decided by a coordinator of the workshop's
    *current* province; until it is approved the workshop keeps its province
    and payouts keep using the old Sheba. At most one request per workshop is
    pending (a new submission updates it).
    """

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="change_requests", verbose_name=_("workshop")
    )
    new_city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("new city")
    )
    new_sheba = ShebaField(_("new Sheba"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ChangeRequestStatus.choices, default=ChangeRequestStatus.PENDING
    )
    decision_reason = models.CharField(_("reason for the decision"), max_length=400, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("workshop change request")
        verbose_name_plural = _("workshop change requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop"],
                condition=models.Q(status="pending"),
                name="change_request_one_pending_per_workshop",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ChangeRequestStatus.values), name="change_request_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(new_city__isnull=False) | ~models.Q(new_sheba=""),
                name="change_request_changes_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workshop}: {self.get_status_display()}"


from .imports.models import DirectoryImport, ImportKind  # noqa: E402, F401  (Django loads models from here)
