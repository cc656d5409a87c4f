"""Paginators shared by list pages."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

from .library_seams import cached_property_is_filled, fill_cached_property, is_distinct_or_combined


class PageAndCountPaginator(Paginator):
    """Reads a page of rows and the number of all rows in one query (``COUNT(*) OVER ()``) instead of two.

    For lists whose rows are costly to filter (the funding board: three subqueries
    per order), where a separate count would run that filter a second time. When
    the requested page holds no row (nothing matches, or a page past the end), it
    falls back to ``Paginator``: same pages, same 404s.
    So does a ``DISTINCT`` or combined query, whose rows a window count would miscount.
    """

    TOTAL = "page_and_count_total"

    def _counts_in_one_query(self, number) -> bool:
        rows = self.object_list
        return (
            not cached_property_is_filled(self, "count")
            and not self.orphans
            and isinstance(number, int)
            and number >= 1
            and isinstance(rows, QuerySet)
            and not is_distinct_or_combined(rows)
        )

    def page(self, number):
        if self._counts_in_one_query(number):
            bottom = (number - 1) * self.per_page
            rows = list(self.object_list.annotate(**{self.TOTAL: Window(Count("*"))})[bottom : bottom + self.per_page])
            if rows:
                fill_cached_property(self, "count", getattr(rows[0], self.TOTAL))
                return Page(rows, number, self)
        return super().page(number)
