"""The coordinator's pledge and donor lists as tables (HTML, and CSV/XLSX through ``SafeExportMixin``).

Coordinators see donors' names even on anonymous pledges (anonymity is for public pages).
"""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import jalali
from core.i18n import page_is_persian
from core.tables import NumberColumn
from core.templatetags.persian import code, digits

from .models import Donor, Pledge, PledgeStatus

STATUS_BADGES = {
    PledgeStatus.PLEDGED: "warn",
    PledgeStatus.RECEIVED: "ok",
    PledgeStatus.APPLIED: "ok",
    PledgeStatus.CANCELLED: "danger",
    PledgeStatus.REFUNDED: "",
}


class PledgeTable(tables.Table):
    donor = tables.Column(
        verbose_name=_("Donor"),
        accessor="donor__user__full_name",
        order_by=("donor__user__full_name", "pk"),
        linkify=("donations:pledge-detail", {"pk": tables.A("pk")}),
    )
    reference = tables.Column(verbose_name=_("Reference"))
    destination = tables.Column(
        verbose_name=_("Order or campaign"), accessor="pk", order_by=("order__number", "campaign__name", "pk")
    )
    amount_rials = NumberColumn(verbose_name=_("Amount (rials)"))
    status = tables.Column(verbose_name=_("Status"))
    created_at = tables.Column(verbose_name=_("Pledged at"))
    received_amount_rials = NumberColumn(verbose_name=_("Received (rials)"), default="—")

    class Meta:
        model = Pledge
        fields = []
        sequence = [
            "donor",
            "reference",
            "destination",
            "amount_rials",
            "status",
            "created_at",
            "received_amount_rials",
        ]
        attrs = {"class": "table pledge-table"}
        empty_text = _("No pledge matches these filters.")
        order_by = ("-created_at",)

    def render_reference(self, value):
        return code(value)

    def value_reference(self, value):
        return value

    def render_destination(self, record):
        if record.order_id is not None:  # the list holds only pledges to orders she may open
            return format_html(
                '<a href="{}">{}</a>', reverse("orders:detail", args=[record.order_id]), code(record.order.number)
            )
        return record.campaign.name

    def render_status(self, record):
        return format_html(
            '<span class="badge {}">{}</span>', STATUS_BADGES.get(record.status, ""), record.get_status_display()
        )

    def render_created_at(self, record):
        return jalali.format_short(record.created_at.date(), persian=page_is_persian())

    def value_destination(self, record):
        return record.order.number if record.order_id is not None else record.campaign.name

    def value_status(self, record):
        return str(record.get_status_display())

    def value_created_at(self, record):
        return jalali.format_short(record.created_at.date(), persian=False)

    def value_received_amount_rials(self, record):
        return record.received_amount_rials if record.received_amount_rials is not None else ""


class DonorTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), accessor="user__full_name", order_by=("user__full_name", "pk"))
    kind = tables.Column(verbose_name=_("Kind"))
    mobile = tables.Column(verbose_name=_("Mobile"), accessor="user__mobile", orderable=False)
    pledges = NumberColumn(verbose_name=_("Pledges"), accessor="pledge_count")
    given = NumberColumn(verbose_name=_("Total given (rials)"), accessor="given_rials")

    class Meta:
        model = Donor
        fields = []
        sequence = ["name", "kind", "mobile", "pledges", "given"]
        attrs = {"class": "table donor-table"}
        empty_text = _("No donor matches these filters.")
        order_by = ("name",)

    def render_kind(self, record):
        return record.get_kind_display()

    def render_mobile(self, value):
        return format_html('<span class="ltr">{}</span>', digits(value))

    def value_kind(self, record):
        return str(record.get_kind_display())
