"""The code stays in pieces a reader can hold: no module (outside migrations and tests) grows
past 600 lines; split it by concept when it would."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
MOST_LINES = 600


def test_no_module_is_over_600_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in PACKAGE.rglob("*.py")
        if "/migrations/" not in path.as_posix()
        and "/tests/" not in path.as_posix()
        and (lines := len(path.read_text().splitlines())) > MOST_LINES
    }
    assert long == {}, f"split these by concept: {long}"
