"""The ledger's daily seals: a past entry changed, added or removed shows in ledger_check."""

import datetime as dt
import importlib
import io
import itertools
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from donors.ledger.seals import GENESIS, ledger_seal_days
from donors.models import LedgerDaySeal, LedgerEntry

from .. import factories

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 12, 7, 10, 0))


APPEND_ONLY = importlib.import_module("donors.migrations.0004_ledger_refuses_updates")


def entry_on(day: dt.date, hour: int = 12) -> LedgerEntry:
    """An order funded on ``day``: its ``received`` entry is dated by the clock of that moment."""
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    order = factories.OrderFactory()
    with mock.patch("django.utils.timezone.now", return_value=when):
        factories.fund_order(order, 5_000_000)
    return LedgerEntry.objects.get(to_order=order)


def tamper(sql: str, params: list) -> None:
    """What someone with the database's password could do: lift the append-only trigger, change rows, put it back."""
    create, drop = APPEND_ONLY.SQL[connection.vendor]
    with connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)
        cursor.execute(sql, params)
        for statement in create:
            cursor.execute(statement)


def ledger_check_says() -> str:
    """What ``manage.py ledger_check`` prints: its summary, or its problems and its failure."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger_check", stdout=out, stderr=err)
    except CommandError as failure:
        return f"{err.getvalue()}{failure}"
    return out.getvalue()


def problems() -> list[str]:
    from donors.ledger.seals import seal_problems

    return seal_problems()


def test_past_days_are_sealed_in_a_chain_and_today_is_not():
    entry_on(dt.date(2026, 12, 3))
    entry_on(dt.date(2026, 12, 3), hour=23)
    entry_on(dt.date(2026, 12, 5))
    entry_on(dt.date(2026, 12, 7))  # today: still open

    assert ledger_seal_days(NOW) == 4  # the 3rd to the 6th, the empty 4th and 6th too
    seals = list(LedgerDaySeal.objects.order_by("day"))
    assert [(s.day.day, s.entry_count) for s in seals] == [(3, 2), (4, 0), (5, 1), (6, 0)]
    assert seals[0].previous_digest == GENESIS
    assert all(later.previous_digest == earlier.digest for earlier, later in itertools.pairwise(seals))
    assert ledger_seal_days(NOW) == 0  # run again: nothing new
    assert problems() == []
    assert ledger_check_says().startswith("Ledger OK")


def test_a_day_is_sealed_only_half_an_hour_after_it_ended():
    entry_on(dt.date(2026, 12, 6), hour=23)
    just_after_midnight = timezone.make_aware(dt.datetime(2026, 12, 7, 0, 10))
    assert ledger_seal_days(just_after_midnight) == 0
    assert ledger_seal_days(timezone.make_aware(dt.datetime(2026, 12, 7, 0, 45))) == 1


def test_a_changed_past_entry_breaks_its_days_seal_and_ledger_check_says_which_day():
    entry = entry_on(dt.date(2026, 12, 3))
    ledger_seal_days(NOW)
    tamper("UPDATE donors_ledgerentry SET note = %s WHERE id = %s", ["edited", entry.pk])
    (problem,) = problems()
    assert "2026-12-03" in problem and "1 entries sealed, 1 there now" in problem
    assert "2026-12-03" in ledger_check_says()


def test_a_removed_or_added_past_entry_breaks_the_seal():
    kept = entry_on(dt.date(2026, 12, 3))
    ledger_seal_days(NOW)
    entry_on(dt.date(2026, 12, 4))  # written into a sealed day
    assert "2026-12-04" in problems()[0] and "0 entries sealed, 1 there now" in problems()[0]
    tamper("DELETE FROM donors_ledgerentry WHERE id = %s", [kept.pk])
    assert any("2026-12-03" in problem for problem in problems())


def test_an_edited_seal_breaks_the_chain_after_it():
    entry_on(dt.date(2026, 12, 3))
    ledger_seal_days(NOW)
    LedgerDaySeal.objects.filter(day=dt.date(2026, 12, 4)).update(digest="f" * 64)
    found = problems()
    assert any("2026-12-04" in problem for problem in found)
    assert any("2026-12-05" in problem and "does not follow" in problem for problem in found)


def test_the_nightly_seal_is_scheduled_at_0040_tehran_after_migrate():
    task = PeriodicTask.objects.select_related("crontab").get(name="Ledger: seal yesterday")
    assert task.task == "donors.ledger.tasks.ledger_seal_days"
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("0", "40", "Asia/Tehran")
    import donors.tasks  # noqa: F401  (what a worker imports)
    from hamdeli.celery import app

    assert task.task in app.tasks
