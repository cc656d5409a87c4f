"""``manage.py ledger_check``: re-check every invariant of the donors ledger; non-zero exit on any problem."""

from donors.ledger.seals import latest_seal
from donors.ledger.selectors import ledger_problems, ledger_totals

from ..check_command import CheckCommand


class Command(CheckCommand):
    help = "Check the donors ledger: nothing negative, budgets respected, money conserved."

    def problems(self) -> list[str]:
        return ledger_problems()

    def failure(self, count: int) -> str:
        return f"The ledger has {count} problem(s)."

    def summary(self) -> str:
        totals = ledger_totals()
        return (
            f"Ledger OK: {totals.entries} entries; received {totals.received:,}, held in campaigns "
            f"{totals.held_in_campaigns:,}, held in orders {totals.held_in_orders:,}, paid out {totals.paid_out:,}, "
            f"refunded {totals.refunded:,} rials.{self._seals()}"
        )

    @staticmethod
    def _seals() -> str:
        seal = latest_seal()
        if seal is None:
            return " No day sealed yet."
        return f" Days sealed up to {seal.day}, chain intact (digest {seal.digest[:16]}…)."
