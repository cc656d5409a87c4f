"""Online giving under load: payments through the mock bank, some callbacks sent twice at the same moment.

    .venv/bin/python bench/payments.py [--payments 200] [--duplicates 20] [--database postgres://root@127.0.0.1/]

Without ``--database`` it uses a throwaway SQLite file (the duplicated callbacks then queue on SQLite's one
writer); with a PostgreSQL server URL it creates (and drops) a database ``hamdeli_bench_<pid>``.

Every payment is started by the real service (pledge, the bank's request.json through az-iranian-bank-gateways),
paid at the mock bank, and its callback goes through the real view (verify.json, then the row lock and
``pledge_confirm``). ``--duplicates`` of them get a second callback fired at the same moment as the first, each
in its own thread and database connection. The mock bank is served in process (the library's ``requests.post``
is routed to Django's test client), so the figures are the project's work, not a network's. With no broker the
receipt's PDF is rendered inside each crediting callback (Celery runs eagerly), which is most of its time.

Prints one JSON line: payments, paid, credits (received ledger entries) and whether they equal the payments
exactly, the rials credited against the rials paid, whether ``ledger_check`` passes, the seconds the callbacks
took and callbacks per second.
"""

from __future__ import annotations

import argparse
import io
import json
import json as json_module  # ``json`` is also requests.post's keyword below
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.allocation import configure, drop

AMOUNT_RIALS = 1_000_000


def _route_requests_to_the_mock_bank() -> None:
    import requests
    from django.test import Client

    local = threading.local()

    class Answer:
        def __init__(self, response):
            self.content, self.status_code = response.content, response.status_code

    def post(url, json=None, timeout=None, **kwargs):  # the library's call: requests.post(api, json=..., timeout=...)
        client = getattr(local, "client", None) or Client()
        local.client = client
        path = urlparse(url).path
        return Answer(client.post(path, data=json_module.dumps(json or {}), content_type="application/json"))

    requests.post = post


def run(payments: int, duplicates: int) -> dict:
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connection, connections
    from django.db.models import Sum
    from django.test import Client, RequestFactory
    from django.urls import reverse

    from donors.models import EntryKind, LedgerEntry, OnlinePayment, OnlinePaymentStatus
    from donors.online import mock_bank
    from donors.online.services import payment_start
    from tests import factories

    call_command("migrate", verbosity=0)
    _route_requests_to_the_mock_bank()
    campaign = factories.CampaignFactory(created_by=factories.CoordinatorFactory(), goal_rials=10**12)
    donor = factories.DonorFactory()
    request = RequestFactory().post("/", SERVER_NAME="127.0.0.1")
    started = []
    for _ in range(payments):
        payment, _page = payment_start(request=request, donor=donor, campaign=campaign, amount_rials=AMOUNT_RIALS)
        mock_bank.payment(payment.authority).paid_amount = AMOUNT_RIALS // 10  # the payer pressed "Pay" (tomans)
        started.append(payment)

    callback = reverse("online:callback")
    errors: list[str] = []

    def come_back(payment) -> None:
        try:
            response = Client().get(callback, {"Authority": payment.authority, "Status": "OK"})
            if response.status_code != 302:
                errors.append(f"{payment.authority}: {response.status_code}")
        except Exception as exc:  # counted and printed, not hidden
            errors.append(f"{payment.authority}: {exc!r}")
        finally:
            if threading.current_thread() is not threading.main_thread():
                connections.close_all()

    begin = time.perf_counter()
    twins = started[:duplicates]
    for payment in twins:  # two callbacks at the same moment, each in its own connection
        gate = threading.Barrier(2)

        def twin(payment=payment, gate=gate):
            gate.wait()
            come_back(payment)

        threads = [threading.Thread(target=twin) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    for payment in started[duplicates:]:
        come_back(payment)
    seconds = time.perf_counter() - begin
    callbacks = payments + duplicates

    pledges = [payment.pledge_id for payment in started]
    credits = LedgerEntry.objects.filter(kind=EntryKind.RECEIVED, pledge_id__in=pledges)
    credited = credits.aggregate(total=Sum("amount_rials"))["total"] or 0
    paid = OnlinePayment.objects.filter(status=OnlinePaymentStatus.PAID).count()
    try:
        call_command("ledger_check", stdout=io.StringIO())
        ledger_ok = True
    except CommandError:
        ledger_ok = False
    return {
        "database": connection.vendor,
        "payments": payments,
        "duplicated_callbacks": duplicates,
        "callbacks": callbacks,
        "paid": paid,
        "credits": credits.count(),
        "credits_equal_payments": credits.count() == payments == paid,
        "rials_credited": credited,
        "rials_paid": paid * AMOUNT_RIALS,
        "ledger_check_passes": ledger_ok,
        "errors": errors[:5],
        "error_count": len(errors),
        "callback_seconds": round(seconds, 3),
        "callbacks_per_second": round(callbacks / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--payments", type=int, default=200)
    parser.add_argument("--duplicates", type=int, default=20)
    parser.add_argument("--database", help="a PostgreSQL server URL (a throwaway database is made there)")
    args = parser.parse_args()
    if not 0 <= args.duplicates <= args.payments:
        parser.error("--duplicates must be between 0 and --payments")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "hamdeli.settings",
            "ONLINE_GIVING_GATEWAY": "mock",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SMS_BACKEND": "core.notifications.backends.MemoryBackend",
            "MEDIA_ROOT": tempfile.mkdtemp(prefix="hamdeli-bench-media-"),
        }
    )
    base = configure(args.database)
    import django

    django.setup()
    try:
        result = run(args.payments, args.duplicates)
    finally:
        from django.db import connections

        connections.close_all()
        drop(base)
    print(json.dumps(result, ensure_ascii=False))
    if not (result["credits_equal_payments"] and result["ledger_check_passes"] and not result["error_count"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
