"""The French catalogue: complete (every message of the source translated, none fuzzy),
shipped compiled and in step with its source, with every placeholder of the English kept (the
pages in French: public/tests/test_french_site.py; templates with words outside translation:
test_templates_translated.py)."""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
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


def test_every_message_of_the_source_is_in_the_catalogue_and_translated(tmp_path: Path) -> None:
    """Extract the messages of the source as `makemessages` would (on a copy of the package),
    and fail on any that the catalogue lacks, leaves untranslated or marks fuzzy."""
    package = CATALOGUE.parents[2]
    copy = tmp_path / "fascia"
    shutil.copytree(
        package,
        copy,
        ignore=shutil.ignore_patterns("tests", "static", "migrations", "__pycache__", "*.mo"),
    )
    environment = {
        key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"
    }
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--no-location"],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    missing = [
        entry.msgid
        for entry in extracted
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]
    assert not missing, f"{len(missing)} messages to translate, e.g. {missing[:10]}"
