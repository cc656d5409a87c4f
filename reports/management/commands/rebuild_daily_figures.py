"""``manage.py rebuild_daily_figures [--since DATE]``: recompute the dashboard's daily figures from the raw rows."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from reports.daily_figures import rebuild


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--since takes a Gregorian date such as 2026-03-21, not {text!r}.") from error


class Command(BaseCommand):
    help = (
        "Recompute the dashboard's daily figures (per day in Tehran time, province and product) and the daily "
        "workshop activity from the raw rows, replacing what is stored; after a manual SQL fix, a restore or a "
        "bulk load that bypassed the services."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", type=_date, help="Only days from this Gregorian date (YYYY-MM-DD) on.")

    def handle(self, *args, since=None, **options):
        rows = rebuild(since=since)
        days = f"from {since}" if since else "for every day"
        self.stdout.write(f"Daily figures rebuilt {days}: {rows:,} rows.")
