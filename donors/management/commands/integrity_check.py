"""``manage.py integrity_check``: re-derive every quantity counter from its evidence and re-check the ledger.

Non-zero exit on any problem, so CI (after the seeded demo and the load test)
and a nightly cron job can alert on it.
"""

from donors.integrity import integrity_problems, integrity_totals

from ..check_command import CheckCommand


class Command(CheckCommand):
    help = (
        "Check quotas, pickups, deliveries and the ledger: produced >= collected >= accepted >= delivered, "
        "counters equal their evidence, deliveries answered consistently, open quotas only for verified "
        "workshops, no units offered beyond an order's funds, money conserved."
    )

    def problems(self) -> list[str]:
        return integrity_problems()

    def failure(self, count: int) -> str:
        return f"Integrity check found {count} problem(s)."

    def summary(self) -> str:
        totals = integrity_totals()
        return (
            f"Integrity OK: {totals.quotas:,} quotas (produced {totals.produced:,}, collected {totals.collected:,}, "
            f"accepted {totals.accepted:,}, delivered {totals.delivered:,}, paid {totals.paid:,} units), "
            f"{totals.deliveries:,} deliveries, {totals.ledger_entries:,} ledger entries; money conserved."
        )
