"""``manage.py integrity_check``: re-derive every quantity counter from its evidence and re-check the ledger.

Non-zero exit on any problem, so CI (after the seeded demo and the load test)
and a nightly cron job can alert on it.
"""

from django.apps import apps
from django.utils.module_loading import import_string

from donors.integrity import integrity_problems, integrity_totals

from ..check_command import CheckCommand


class Command(CheckCommand):
    help = (
        "Check quotas, pickups, deliveries and the ledger: produced >= collected >= accepted >= delivered, "
        "counters equal their evidence, deliveries answered consistently, open quotas only for verified "
        "workshops, no units offered beyond an order's funds, money conserved."
    )

    def problems(self) -> list[str]:
        return integrity_problems() + _upper_room_problems()

    def failure(self, count: int) -> str:
        return f"Integrity check found {count} problem(s)."

    def summary(self) -> str:
        totals = integrity_totals()
        return (
            f"Integrity OK: {totals.quotas:,} quotas (produced {totals.produced:,}, collected {totals.collected:,}, "
            f"accepted {totals.accepted:,}, delivered {totals.delivered:,}, paid {totals.paid:,} units), "
            f"{totals.deliveries:,} deliveries, {totals.ledger_entries:,} ledger entries; money conserved."
        )


def _upper_room_problems() -> list[str]:
    """Checks of rooms above this one (the reports' daily figures), named on their AppConfig as
    ``integrity_checks``: a dotted path to a function returning problems as sentences."""
    problems = []
    for config in apps.get_app_configs():
        if path := getattr(config, "integrity_checks", ""):
            problems += import_string(path)()
    return problems
