"""What the open-data API's endpoints share: the 400 they raise, the page parameter and a page of rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet

from core.persian import NumberFormatError, parse_integer

PAGE_SIZE = 100


class ApiError(Exception):
    """A bad parameter: the API answers 400 with ``message`` (``transparency.api`` registers the handler)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def page_number(text: str) -> int:
    """Through the project's one number parser, so ``۲`` is 2 here as in every form."""
    try:
        number = parse_integer(text)
    except NumberFormatError as exc:
        raise ApiError(f"page: {text[:20]!r} is not a whole number.") from exc
    if not 1 <= number <= 10_000:
        raise ApiError("page: from 1 to 10000.")
    return number


def one_page(rows: Sequence | QuerySet, page: int, out: Callable[[Any], dict]) -> dict:
    """``{count, page, pages, results}`` for page ``page`` of ``rows`` (a queryset: counted, one page read);
    a page past the last is a 400."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    pages = max(1, -(-count // PAGE_SIZE))
    if page > pages:
        raise ApiError(f"There are {pages} page(s).")
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return {"count": count, "page": page, "pages": pages, "results": [out(row) for row in shown]}
