"""axe-core on the Persian pages each demo role reaches, at 360 px: no serious accessibility problem of the
kinds issue 14 found, above all a box that scrolls sideways but cannot be reached by keyboard
(scrollable-region-focusable: tables and charts scroll inside their own boxes, which must take focus).

axe-core is bundled in tests/browser/vendor/axe-core (no network at run time) and injected with CSP bypassed
for the test's browser context only.
"""

from collections import deque
from pathlib import Path

import pytest

from hamdeli.demo import seed_demo

from .conftest import PHONE_VIEWPORT
from .test_phone_crawl import SKIPPED_PATHS, kind_of, local_link

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
RULES = ["scrollable-region-focusable", "region", "list", "listitem", "aria-allowed-attr", "aria-valid-attr-value"]
PAGES_PER_ROLE = 12

RUN_AXE = """rules => axe.run(document, {runOnly: {type: 'rule', values: rules}}).then(result =>
    result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical' || v.id === rules[0])
        .map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`))"""


def problems_on_pages_of(page, server: str) -> tuple[list[str], list[str]]:
    visited, problems, kinds = [], [], {}
    queue = deque(["/"])
    while queue and len(visited) < PAGES_PER_ROLE:
        path = queue.popleft()
        kind = kind_of(path)
        if path in visited or kinds.get(kind, 0) >= 1 or path.startswith(SKIPPED_PATHS):
            continue
        answer = page.request.get(server + path)
        if answer.status >= 400 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        kinds[kind] = 1
        visited.append(path)
        page.goto(server + path)
        page.add_script_tag(path=str(AXE))
        problems.extend(f"{path}: {problem}" for problem in page.evaluate(RUN_AXE, RULES))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            link = local_link(server + path, href)
            if link and link not in visited:
                queue.append(link)
    return visited, problems


@pytest.mark.browser
def test_no_persian_page_has_a_scroll_box_the_keyboard_cannot_reach(
    browser, live_server, settings, django_db_serialized_rollback
):
    settings.DEBUG = True  # demo accounts may log in only while DEBUG is on
    roles = ("national coordinator", "coordinator (Tehran, Alborz)", "workshop owner", "donor")
    logins = [login for login in seed_demo() if login.role in roles]
    report, seen = {}, 0
    for login in logins:
        context = browser.new_context(
            base_url=live_server.url, viewport=PHONE_VIEWPORT, locale="fa-IR", bypass_csp=True
        )
        try:
            page = context.new_page()
            page.goto("/accounts/login/")
            page.fill("input[name=username]", login.mobile)
            page.fill("input[name=password]", settings.DEMO_PASSWORD)
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(f"{live_server.url}/")
            visited, problems = problems_on_pages_of(page, live_server.url)
        finally:
            context.close()
        seen += len(visited)
        report[login.role] = problems
    assert seen > 10  # the walk reached list pages with tables, the dashboard with its charts
    assert report == {role: [] for role in report}
