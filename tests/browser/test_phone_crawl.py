"""Every page a demo user can reach by clicking opens, and fits a 360 px phone.

The permission matrix checks answers URL by URL; this test walks the site the
way people do: it logs in as each demo role, follows the links on every page
it reaches (breadth first, a few pages of each kind) and records, per page:
an answer of 400 or more (a link that leads nowhere), a page that scrolls
sideways, and text that spills out of its box (a figure wider than its card).
Tables and charts scroll inside their own boxes on purpose and are left out.
"""

import pytest
from playwright.sync_api import Page

from hamdeli.demo import seed_demo

from .conftest import PHONE_VIEWPORT
from .crawl import crawl, signed_in_on_a_phone

PAGES_PER_ROLE = 45
PAGES_PER_KIND = 2  # /orders/17/ and /orders/18/ are the same kind of page

SPILLING = """() => [...document.querySelectorAll('main *')]
    .filter(e => !e.closest('.table-container, .table-wrap, .chart-box, svg'))
    .filter(e => getComputedStyle(e).overflowX === 'visible' && getComputedStyle(e).display !== 'inline')
    .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 2)
    .filter(e => ![...e.children].some(child => child.scrollWidth > child.clientWidth + 2))
    .map(e => `${e.tagName.toLowerCase()}.${e.className}: ${e.textContent.trim().slice(0, 40)}`)"""


def does_not_fit_a_phone(page: Page) -> list[str]:
    problems = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE_VIEWPORT["width"]:
        problems.append(f"scrolls sideways ({width} px)")
    problems.extend(f"spills out of its box: {what}" for what in page.evaluate(SPILLING))
    return problems


def walk(page: Page, server: str, start: str) -> tuple[list[str], list[str]]:
    """Pages visited and problems found, following links from ``start``."""
    return crawl(page, server, start, max_pages=PAGES_PER_ROLE, per_kind=PAGES_PER_KIND, inspect=does_not_fit_a_phone)


@pytest.mark.browser
def test_every_page_each_demo_role_reaches_by_clicking_opens_and_fits_a_phone(
    browser, live_server, settings, django_db_serialized_rollback
):
    settings.DEBUG = True  # demo accounts may log in only while DEBUG is on
    logins = [login for login in seed_demo() if login.role != "superuser"]
    assert len(logins) == 6

    report = {}
    for login in logins:
        with signed_in_on_a_phone(browser, live_server.url, login.mobile, settings.DEMO_PASSWORD) as page:
            visited, problems = walk(page, live_server.url, "/")
        # Every role has more than its home page to click through.
        assert len(visited) > 5, (login.role, visited)
        report[login.role] = problems

    assert report == {login.role: [] for login in logins}
