"""``manage.py ledger_check``: re-check every invariant of the donors ledger; non-zero exit on any problem."""

from django.core.management.base import BaseCommand, CommandError

from donors.ledger.selectors import ledger_problems, ledger_totals


class Command(BaseCommand):
    help = "Check the donors ledger: nothing negative, budgets respected, money conserved."

    def handle(self, *args, **options):
        problems = ledger_problems()
        if problems:
            for problem in problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(f"The ledger has {len(problems)} problem(s).")
        totals = ledger_totals()
        self.stdout.write(
            f"Ledger OK: {totals.entries} entries; received {totals.received:,}, held in campaigns "
            f"{totals.held_in_campaigns:,}, held in orders {totals.held_in_orders:,}, paid out {totals.paid_out:,}, "
            f"refunded {totals.refunded:,} rials."
        )
