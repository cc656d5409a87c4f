"""Every page a demo user can reach by clicking opens, and fits a 360 px phone.

The permission matrix checks answers URL by URL; this test walks the site the
way people do: it logs in as each demo role, follows the links on every page
it reaches (breadth first, a few pages of each kind) and records, per page:
an answer of 400 or more (a link that leads nowhere), a page that scrolls
sideways, and text that spills out of its box (a figure wider than its card).
Tables and charts scroll inside their own boxes on purpose and are left out.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Page

from hamdeli.demo import seed_demo

from .conftest import PHONE_VIEWPORT

PAGES_PER_ROLE = 45
PAGES_PER_KIND = 2  # /orders/17/ and /orders/18/ are the same kind of page
SKIPPED_PATHS = ("/admin/", "/i18n/", "/accounts/logout/")

SPILLING = """() => [...document.querySelectorAll('main *')]
    .filter(e => !e.closest('.table-container, .table-wrap, .chart-box, svg'))
    .filter(e => getComputedStyle(e).overflowX === 'visible' && getComputedStyle(e).display !== 'inline')
    .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 2)
    .filter(e => ![...e.children].some(child => child.scrollWidth > child.clientWidth + 2))
    .map(e => `${e.tagName.toLowerCase()}.${e.className}: ${e.textContent.trim().slice(0, 40)}`)"""


def local_link(base: str, href: str | None) -> str | None:
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    url = urlsplit(urljoin(base, href))
    if url.netloc != urlsplit(base).netloc or url.path.startswith(SKIPPED_PATHS):
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def kind_of(path: str) -> str:
    return re.sub(r"\d+", "N", path.split("?")[0]) + ("?" if "?" in path else "")


def walk(page: Page, server: str, start: str) -> tuple[list[str], list[str]]:
    """Pages visited and problems found, following links from ``start``."""
    visited: list[str] = []
    problems: list[str] = []
    kinds: dict[str, int] = {}
    queue = deque([start])
    while queue and len(visited) < PAGES_PER_ROLE:
        path = queue.popleft()
        kind = kind_of(path)
        if path in visited or kinds.get(kind, 0) >= PAGES_PER_KIND:
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        visited.append(path)
        answer = page.request.get(server + path)
        if answer.status >= 400:
            problems.append(f"{path}: HTTP {answer.status}")
            continue
        if "text/html" not in answer.headers.get("content-type", ""):
            continue  # a CSV, XLSX or PDF download
        page.goto(server + path)
        page.evaluate("document.fonts.ready.then(() => true)")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_VIEWPORT["width"]:
            problems.append(f"{path}: scrolls sideways ({width} px)")
        problems.extend(f"{path}: spills out of its box: {what}" for what in page.evaluate(SPILLING))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            link = local_link(server + path, href)
            if link and link not in visited:
                queue.append(link)
    return visited, problems


@pytest.mark.browser
def test_every_page_each_demo_role_reaches_by_clicking_opens_and_fits_a_phone(
    browser, live_server, settings, django_db_serialized_rollback
):
    settings.DEBUG = True  # demo accounts may log in only while DEBUG is on
    logins = [login for login in seed_demo() if login.role != "superuser"]
    assert len(logins) == 6

    report = {}
    for login in logins:
        context = browser.new_context(base_url=live_server.url, viewport=PHONE_VIEWPORT, locale="fa-IR")
        try:
            page = context.new_page()
            page.goto("/accounts/login/")
            page.fill("input[name=username]", login.mobile)
            page.fill("input[name=password]", settings.DEMO_PASSWORD)
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(f"{live_server.url}/")
            visited, problems = walk(page, live_server.url, "/")
        finally:
            context.close()
        # Every role has more than its home page to click through.
        assert len(visited) > 5, (login.role, visited)
        report[login.role] = problems

    assert report == {login.role: [] for login in logins}
