"""The French catalogue: shipped compiled and in step with its source, with every placeholder
of the English kept (the pages in French: public/tests/test_french_site.py)."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import polib  # type: ignore[import-untyped]

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "fr" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")


def test_the_compiled_catalogue_is_the_source_s() -> None:
    """`django.mo` is compiled from `django.po` as it stands (`fascia compilemessages`)."""
    source = polib.pofile(str(CATALOGUE / "django.po"))
    with (CATALOGUE / "django.mo").open("rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)
    for entry in source.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgstr_plural[1]
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_translations_keep_every_placeholder_and_none_is_fuzzy() -> None:
    source = polib.pofile(str(CATALOGUE / "django.po"))
    assert not source.fuzzy_entries()
    for entry in source.translated_entries():
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        for text in [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values():
            assert sorted(PLACEHOLDER.findall(text)) == wanted, entry.msgid
