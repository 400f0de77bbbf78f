"""axe-core on every page a person reaches: crawled from the public home page, the client's
account and each staff role's home (same-origin links, three clicks deep), in English and in
French, on a desktop and at a phone's 390 px. Every page must have zero WCAG 2.2 A/AA
violations. Pages at phone width are saved as screenshots (var/screenshots/crawl-*)."""

from __future__ import annotations

import re
from collections import deque
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import connection
from playwright.sync_api import Error as PlaywrightError

from fascia.conftest import PASSWORD
from fascia.scheduling.tests.conftest import MobileWeek
from fascia.staff.tests.test_browser_front_desk_day import SCREENSHOTS
from fascia.tests.accessibility import accessibility_violations
from fascia.tests.french import english_left_on

pytestmark = pytest.mark.browser

DEPTH = 3
# Addresses that are not pages to look at: files, feeds, the API, the operators' admin, and
# links that sign out or change something when followed.
SKIPPED = (
    "/admin/",
    "/api/",
    "/media/",
    "/static/",
    ".pdf",
    ".ics",
    ".csv",
    ".zip",
    "csv=",
    "logout",
)
WIDTHS = (1280, 390)


def page_links(page: Any, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        address = urlsplit(urljoin(page.url, href))
        if f"{address.scheme}://{address.netloc}" != origin:
            continue
        path = address.path + (f"?{address.query}" if address.query else "")
        if any(part in path for part in SKIPPED) or "lang=" in address.query:
            continue
        found.append(path)
    return found


# The same page with other query values (another date, another page of a list) is drawn by
# the same template: a couple of them stand for the rest.
VARIANTS_PER_PAGE = 2


def crawl(
    page: Any,
    origin: str,
    start: str,
    checked: set[str],
    *,
    shots: str = "",
    language: str = "en",
) -> dict[str, list[str]]:
    """Every page reachable from `start` within DEPTH clicks, with what axe finds on each (and,
    in French, any of the catalogue's English sentences it still shows). A page another
    person's crawl already `checked` (at this width, in this language) is not checked again."""
    seen = {start}
    variants: dict[str, int] = {}
    queue = deque([(start, 0)])
    results = {}
    while queue:
        path, depth = queue.popleft()
        if path in checked and path != start:
            continue
        checked.add(path)
        try:
            answer = page.goto(origin + path)
        except PlaywrightError:  # a download, not a page
            continue
        if (
            answer is None
            or answer.status >= 400
            or "text/html" not in (answer.headers.get("content-type", ""))
        ):
            continue
        if page.locator(".fc").count():  # the schedule draws itself from the API: let it finish
            page.wait_for_load_state("networkidle")
        results[path] = accessibility_violations(page)
        if language == "fr":
            results[path] += [
                f"{path}: English left: {words}" for words in english_left_on(page.content())
            ]
        if shots:  # for a person to look at: every page on a phone, in each language
            name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # the first screen: cheap to take
            page.screenshot(path=str(SCREENSHOTS / f"crawl-{shots}-{name}"[:120]) + ".png")
        if depth < DEPTH:
            for link in page_links(page, origin):
                key = link.split("#")[0]
                base = key.split("?")[0]
                if key and key not in seen and variants.get(base, 0) < VARIANTS_PER_PAGE:
                    seen.add(key)
                    variants[base] = variants.get(base, 0) + 1
                    queue.append((key, depth + 1))
    return results


def sign_in(page: Any, origin: str, email: str) -> None:
    page.goto(f"{origin}/accounts/sign-in/")
    # By the fields' ids: their labels are in the language being crawled.
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_passes_axe(
    live_server: Any, browser: Any, mobile_week: MobileWeek, language: str
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("pages look the same on every database: crawled on SQLite")
    week = mobile_week.week
    week.practice.works_statutory_holidays = True
    week.practice.save()
    cast = week.cast
    origin = live_server.url
    people = [  # the owner first: the other staff roles' pages are mostly the owner's
        (None, "/"),
        (cast.client_user.email, "/account/"),
        (cast.owner.email, "/staff/"),
        (cast.therapist_user.email, "/staff/"),
        (cast.front_desk.email, "/staff/"),
        (cast.bookkeeper.email, "/staff/"),
    ]
    failures = []
    pages = 0
    for width in WIDTHS:
        checked: set[str] = set()
        for email, start in people:
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-CA")
            page = context.new_page()
            page.set_default_timeout(10_000)
            page.goto(f"{origin}/?lang={language}")
            if email:
                sign_in(page, origin, email)
            shots = f"{language}-{email.split('@')[0] if email else 'visitor'}"
            found = crawl(
                page,
                origin,
                start,
                checked,
                shots=shots if width < 600 else "",
                language=language,
            )
            for _path, violations in found.items():
                pages += 1
                failures += [f"[{language} {width}px {email or 'visitor'}] {v}" for v in violations]
            context.close()
    print(f"axe checked {pages} pages in {language}")
    assert pages > 30, pages
    assert failures == [], "\n".join(sorted(set(failures)))
