"""Walking the site as people do: from a page, follow its links breadth first, a few pages of each kind.

The phone crawl (sideways scroll, spilling text) and the accessibility check (axe-core) walk the same way and
differ only in what they look at on each page: ``crawl`` takes that as ``inspect``.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Browser, Page

from .conftest import PHONE_VIEWPORT

SKIPPED_PATHS = ("/admin/", "/i18n/", "/accounts/logout/")


def local_link(base: str, href: str | None) -> str | None:
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    url = urlsplit(urljoin(base, href))
    if url.netloc != urlsplit(base).netloc or url.path.startswith(SKIPPED_PATHS):
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def kind_of(path: str) -> str:
    """``/orders/17/`` and ``/orders/18/`` are the same kind of page."""
    return re.sub(r"\d+", "N", path.split("?")[0]) + ("?" if "?" in path else "")


def crawl(
    page: Page, server: str, start: str, *, max_pages: int, per_kind: int, inspect: Callable[[Page], list[str]]
) -> tuple[list[str], list[str]]:
    """Pages visited and problems found, following links from ``start``.

    A link answering 400 or more is a problem (it leads nowhere); downloads (CSV, XLSX, PDF) are not opened;
    every other page is opened in the browser, its fonts loaded, and ``inspect`` says what is wrong with it.
    """
    visited: list[str] = []
    problems: list[str] = []
    kinds: dict[str, int] = {}
    queue = deque([start])
    while queue and len(visited) < max_pages:
        path = queue.popleft()
        kind = kind_of(path)
        if path in visited or kinds.get(kind, 0) >= per_kind or path.startswith(SKIPPED_PATHS):
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        visited.append(path)
        answer = page.request.get(server + path)
        if answer.status >= 400:
            problems.append(f"{path}: HTTP {answer.status}")
            continue
        if "text/html" not in answer.headers.get("content-type", ""):
            continue
        page.goto(server + path)
        page.evaluate("document.fonts.ready.then(() => true)")
        problems.extend(f"{path}: {problem}" for problem in inspect(page))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            link = local_link(server + path, href)
            if link and link not in visited:
                queue.append(link)
    return visited, problems


@contextmanager
def signed_in_on_a_phone(browser: Browser, server: str, mobile: str, password: str, **options) -> Iterator[Page]:
    """A Persian 360 px page signed in as ``mobile`` on its own browser context, closed afterwards."""
    context = browser.new_context(base_url=server, viewport=PHONE_VIEWPORT, locale="fa-IR", **options)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", mobile)
        page.fill("input[name=password]", password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{server}/")
        yield page
    finally:
        context.close()
