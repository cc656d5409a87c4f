"""``manage.py integrity_check``: re-derive every quantity counter from its evidence and re-check the ledger.

Non-zero exit on any problem, so CI (after the seeded demo and the load test)
and a nightly cron job can alert on it.
"""

from django.core.management.base import BaseCommand, CommandError

from donors.integrity import integrity_problems, integrity_totals


class Command(BaseCommand):
    help = (
        "Check quotas, pickups, deliveries and the ledger: produced >= collected >= accepted >= delivered, "
        "counters equal their evidence, deliveries answered consistently, open quotas only for verified "
        "workshops, no units offered beyond an order's funds, money conserved."
    )

    def handle(self, *args, **options):
        problems = integrity_problems()
        if problems:
            for problem in problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(f"Integrity check found {len(problems)} problem(s).")
        totals = integrity_totals()
        self.stdout.write(
            f"Integrity OK: {totals.quotas:,} quotas (produced {totals.produced:,}, collected {totals.collected:,}, "
            f"accepted {totals.accepted:,}, delivered {totals.delivered:,}, paid {totals.paid:,} units), "
            f"{totals.deliveries:,} deliveries, {totals.ledger_entries:,} ledger entries; money conserved."
        )
