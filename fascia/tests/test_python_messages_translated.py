"""Every message the Python code gives a person goes through translation: the text of a refusal
(`raise BookingError("…")`), a page's flash message (`messages.success(request, "…")`) and a
form error must be wrapped in `gettext` (or built from a translated pattern), never a bare
string or an f-string. A few errors are for the engineer, never shown to a person (a wrong
argument in code, a setting with a bad URL); they are named in `FOR_ENGINEERS` and only those
may stay in English."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
NOT_PRODUCT = frozenset({"tests", "migrations", "management", "settings"})
FLASH = {"debug", "info", "success", "warning", "error"}
FORM_ERRORS = {"ValidationError", "HttpError", "add_error"}

# Messages only an engineer meets (a programming mistake or an operator's setting); each is
# named by the words it starts with.
FOR_ENGINEERS = (
    "Unknown ",
    "No renderer",
    "Not a claim field",
    "Not a policy field",
    "Not a note field",
    "Not profile fields",
    "Not website fields",
    "has_time_this_week needs",
    "the last rule always applies",
    "GEOCODER_URL",
    "TRAVEL_URL",
    "Private files have no public URL",
    "Not a language Fascia speaks",
    "A time range cannot end",
    "No such ",
    "Imported visit",
    "No outcome measure",
    "No busy-time check written",
    "A stamp announcement",
    "remembered_part ",
)


def _words(node: ast.expr) -> str | None:
    """The text of a bare string or f-string that reads as a sentence; None for anything else
    (a translated message is a call, not a string)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(
            str(part.value) if isinstance(part, ast.Constant) else "{…}" for part in node.values
        )
    else:
        return None
    return text if " " in text and any(letter.isalpha() for letter in text) else None


def _told_to_a_person(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        shown: list[ast.expr] = []
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            shown = [*node.exc.args, *(keyword.value for keyword in node.exc.keywords)]
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            receiver = getattr(node.func, "value", None)
            if name in FLASH and getattr(receiver, "id", "") == "messages" and len(node.args) > 1:
                shown = [node.args[1]]
            elif name in FORM_ERRORS and node.args:
                shown = list(node.args)
        for argument in shown:
            text = _words(argument)
            if text is not None and not text.startswith(FOR_ENGINEERS):
                found.append((argument.lineno, text))
    return found


def test_every_message_the_code_gives_a_person_is_translated() -> None:
    untranslated = [
        f"{path.relative_to(PACKAGE)}:{line}: {text!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if not NOT_PRODUCT.intersection(path.relative_to(PACKAGE).parts)
        for line, text in _told_to_a_person(ast.parse(path.read_text()))
    ]
    assert not untranslated, "Wrap these in gettext:\n" + "\n".join(untranslated)


def test_the_check_finds_a_bare_refusal_and_passes_a_translated_one() -> None:
    bare = ast.parse('raise BookingError(f"This visit is {status}.")')
    flashed = ast.parse('messages.success(request, "Draft saved.")')
    translated = ast.parse('raise BookingError(_("This visit is %(s)s.") % {"s": status})')
    engineer = ast.parse('raise ValueError(f"Unknown source {source!r}.")')
    assert _told_to_a_person(bare) == [(1, "This visit is {…}.")]
    assert _told_to_a_person(flashed) == [(1, "Draft saved.")]
    assert _told_to_a_person(translated) == []
    assert _told_to_a_person(engineer) == []
