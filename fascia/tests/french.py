"""Finding English left on a French page: the catalogue's English sentences that read
differently in French, looked for in what a page shows."""

from __future__ import annotations

import functools
import html
import re

import polib  # type: ignore[import-untyped]
from django.conf import settings


@functools.cache
def _english_sentences() -> tuple[str, ...]:
    """English sentences of the catalogue that read differently in French: if a French page
    shows one, something on it was left in English."""
    catalogue = polib.pofile(str(settings.LOCALE_PATHS[0] / "fr" / "LC_MESSAGES" / "django.po"))
    return tuple(
        " ".join(entry.msgid.split())
        for entry in catalogue.translated_entries()
        if not entry.msgid_plural
        and entry.msgstr != entry.msgid
        and len(entry.msgid) >= 12
        and " " in entry.msgid
        and not re.search(r"%|<|\{", entry.msgid)
    )


def english_left_on(page: str) -> list[str]:
    """The catalogue's English sentences a page shows to a reader."""
    text = html.unescape(
        re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(style|script)\b.*?</\1>", " ", page))
    )
    shown = " ".join(text.split())
    return [sentence for sentence in _english_sentences() if sentence in shown]
