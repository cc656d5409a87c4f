"""Taking work back from quotas that cannot make it, so the next allocation run offers it again.

Declined quotas and quotas cancelled (for instance with a workshop's
suspension) already give their unproduced units back: see
``production.selectors.committed.committed_units_expression``. This module handles the third
case: an accepted quota far behind pace near its due date releases its
unproduced remainder. The workshop keeps the quota, and what it has made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import log_action
from core.models import User
from core.persian import ui_number

from ..models import Quota, QuotaStatus
from ..selectors.quotas import QuotaProgress, quota_progress


def is_far_behind(progress: QuotaProgress) -> bool:
    """Below 60% of the expected progress with less than 30% of the time left (both settings)."""
    if progress.remaining <= 0 or progress.working_days_total <= 0:
        return False
    time_left_percent = 100 * progress.working_days_left / progress.working_days_total
    expected = progress.expected_by_now
    return (
        time_left_percent < settings.HAMDELI_REBALANCE_MAX_TIME_LEFT_PERCENT
        and expected > 0
        and 100 * progress.produced < settings.HAMDELI_REBALANCE_MIN_PROGRESS_PERCENT * expected
    )


def behind_pace_reason(progress: QuotaProgress) -> str:
    return _(
        "Far behind pace: %(made)s made of %(expected)s expected by now, with %(days)s working days left; "
        "the remaining %(remaining)s units are offered to other workshops."
    ) % {
        "made": ui_number(progress.produced),
        "expected": ui_number(progress.expected_by_now),
        "days": ui_number(progress.working_days_left),
        "remaining": ui_number(progress.remaining),
    }


@dataclass(frozen=True)
class Release:
    quota: Quota
    units: int
    reason: str


def releases_due(quotas: Iterable[Quota], today: dt.date | None = None) -> list[Release]:
    """Which accepted quotas would release how many units now, and why (nothing is written)."""
    today = today or timezone.localdate()
    releases = []
    for quota in quotas:
        if quota.status != QuotaStatus.ACCEPTED:
            continue
        progress = quota_progress(quota, today)
        if is_far_behind(progress):
            releases.append(Release(quota=quota, units=progress.remaining, reason=behind_pace_reason(progress)))
    return releases


@transaction.atomic
def quota_release_remainder(*, quota: Quota, actor: User | None, reason: str) -> Quota:
    """Take an accepted quota's unproduced remainder back for re-allocation (audited)."""
    quota = Quota.objects.select_for_update().get(pk=quota.pk)
    if quota.status != QuotaStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted quota can release units."))
    remainder = quota.remaining_units
    if remainder <= 0:
        return quota
    before = quota.released_units
    quota.released_units = before + remainder
    quota.release_reason = reason
    quota.save(update_fields=["released_units", "release_reason"])
    log_action(
        actor=actor,
        obj=quota,
        action="quota.release",
        changes={"released_units": [before, quota.released_units]},
        note=reason,
    )
    return quota
