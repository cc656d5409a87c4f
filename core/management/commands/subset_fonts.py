"""Rewrite the small Vazirmatn web fonts from the full TTF files (see core/fonts.py for why and what they hold)."""

from django.core.management.base import BaseCommand

from ...fonts import APP_CSS, WEIGHTS, build_subset, css_with_ranges, full_font_rest, subset_path, unicode_range


class Command(BaseCommand):
    help = (
        "Rewrite static/fonts/vazirmatn/*-subset.woff2 from the full fonts, keeping the characters the site uses, "
        "and the unicode-range of every Vazirmatn face in static/css/app.css to match."
    )

    def handle(self, *args, **options):
        ranges = {}
        for weight in WEIGHTS:
            data, codepoints = build_subset(weight)
            path = subset_path(weight)
            path.write_bytes(data)
            ranges[path.name] = unicode_range(codepoints)
            ranges[f"Vazirmatn-{weight}.woff2"] = unicode_range(full_font_rest(weight))
            self.stdout.write(f"{path.name}: {len(data):,} bytes, {len(codepoints)} characters")
        APP_CSS.write_text(css_with_ranges(APP_CSS.read_text(encoding="utf-8"), ranges), encoding="utf-8")
        self.stdout.write(f"unicode-range updated in {APP_CSS.name}")
