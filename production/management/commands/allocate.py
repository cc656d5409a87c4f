import json

from django.core.management.base import BaseCommand, CommandError

from core.models import Province

from ...allocation_report import summarize, unmet_sentence
from ...services.allocation import allocation_commit, allocation_preview


class Command(BaseCommand):
    help = "Split funded orders into offered quotas (the same service as the coordinator's allocation page)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="show the plan without writing anything")
        parser.add_argument(
            "--province", action="append", dest="provinces", metavar="CODE", help="limit to a province (repeatable)"
        )
        parser.add_argument("--json", action="store_true", help="print the whole result as JSON")

    def handle(self, *args, **options):
        dry_run, provinces, json_output = options["dry_run"], options["provinces"], options["json"]
        scope = None
        if provinces:
            scope = list(Province.objects.filter(code__in=provinces))
            unknown = set(provinces) - {province.code for province in scope}
            if unknown:
                raise CommandError(f"unknown province code(s): {', '.join(sorted(unknown))}")
        result = allocation_preview(provinces=scope) if dry_run else allocation_commit(actor=None, provinces=scope)
        summary = summarize(result)
        if json_output:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        totals = summary["totals"]
        verb = "would offer" if dry_run else "offered"
        self.stdout.write(
            f"{verb} {totals['allocated_units']} units in {totals['quotas']} quotas; "
            f"{totals['unmet_units']} units unmet; released {totals['released_units']} units from late quotas"
        )
        for order in summary["orders"]:
            for line in order["allocations"]:
                self.stdout.write(f"  {order['number']}: {line['workshop']} × {line['units']} (due {line['due_date']})")
            if order["unmet_units"]:
                reason = unmet_sentence(order["unmet_reason"], order["unmet_params"])
                self.stdout.write(f"  {order['number']}: {order['unmet_units']} unmet: {reason}")
