"""Checking a page in the real browser with axe-core for WCAG 2.2 A and AA failures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "axe" / "axe.min.js"
WCAG_A_AND_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def accessibility_violations(page: Any) -> list[str]:
    """What axe-core finds on the page as it is now, one line per rule broken (with the first
    elements that break it); empty when it passes."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())  # evaluated by the browser's debugger: no CSP applies
    found = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_A_AND_AA,
    )
    return [
        f"{page.url} {violation['id']}: {violation['help']} — "
        + ", ".join(str(node["target"][0]) for node in violation["nodes"][:3])
        for violation in found["violations"]
    ]


def assert_accessible(page: Any) -> None:
    violations = accessibility_violations(page)
    assert violations == [], "\n".join(violations)
