import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from donors.models import EntryKind, LedgerEntry
from donors.services.funds import payout_record
from donors.services.pledges import pledge_confirm

from .. import factories


def _clean_ledger(coordinator):
    quota = factories.QuotaFactory(produced_units=100, accepted_units=100)
    pledge = factories.PledgeFactory(order=quota.order, amount_rials=5_000_000)
    pledge_confirm(
        pledge=pledge,
        actor=coordinator,
        amount_received_rials=5_000_000,
        bank_reference="REF",
        received_on=dt.date(2026, 11, 1),
    )
    payout_record(quota=quota, units=50, actor=coordinator)
    return quota, pledge


def test_ledger_check_prints_a_one_line_summary_on_a_clean_ledger(coordinator, capsys):
    _clean_ledger(coordinator)
    call_command("ledger_check")
    out = capsys.readouterr().out
    assert out.startswith("Ledger OK: 2 entries")
    assert len(out.strip().splitlines()) == 1


def test_ledger_check_is_happy_with_an_empty_ledger(db, capsys):
    call_command("ledger_check")
    assert "Ledger OK: 0 entries" in capsys.readouterr().out


def test_ledger_check_fails_when_a_payout_was_slipped_in_around_the_services(coordinator, capsys):
    quota, _ = _clean_ledger(coordinator)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                kind=EntryKind.PAYOUT,
                amount_rials=9_000_000,
                from_order=quota.order,
                to_workshop=quota.workshop,
                quota=quota,
            )
        ]
    )
    with pytest.raises(CommandError):
        call_command("ledger_check")
    err = capsys.readouterr().err
    assert f"Order {quota.order.number} paid out" in err
    assert f"Quota #{quota.pk}: payouts total" in err


def test_ledger_check_fails_when_a_pledge_is_received_twice(coordinator, capsys):
    quota, pledge = _clean_ledger(coordinator)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                kind=EntryKind.RECEIVED,
                amount_rials=5_000_000,
                from_donor=pledge.donor,
                to_order=quota.order,
                pledge=pledge,
            )
        ]
    )
    with pytest.raises(CommandError):
        call_command("ledger_check")
    assert f"Pledge #{pledge.pk} was received 2 times." in capsys.readouterr().err


def test_ledger_check_fails_when_an_order_holds_more_than_its_budget(coordinator, capsys):
    quota, _ = _clean_ledger(coordinator)
    campaign = factories.CampaignFactory()
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                kind=EntryKind.APPLIED,
                amount_rials=quota.order.budget_rials,
                from_campaign=campaign,
                to_order=quota.order,
            )
        ]
    )
    with pytest.raises(CommandError):
        call_command("ledger_check")
    err = capsys.readouterr().err
    assert "more than its budget" in err
    assert "holds" in err and "(negative)" in err  # the campaign never had that money


def test_ledger_check_exits_non_zero_from_the_command_line(coordinator):
    _clean_ledger(coordinator)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                kind=EntryKind.APPLIED,
                amount_rials=1,
                from_campaign=factories.CampaignFactory(),
                to_order=factories.OrderFactory(),
            )
        ]
    )
    with pytest.raises(SystemExit) as exited:
        argv = ["manage.py", "ledger_check"]
        from django.core.management import ManagementUtility

        ManagementUtility(argv).execute()
    assert exited.value.code == 1
