"""Every word a template shows goes through translation: text between tags, and the attributes
a person reads or hears (alt, title, placeholder, aria-label, aria-description), must sit inside
`{% translate %}` / `{% blocktranslate %}` or come from a variable. `MARKED_LATER` is empty:
a template may go on it only while it is being translated, and the list only ever shrinks."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
READ_ATTRIBUTES = re.compile(
    r"""\b(?:alt|title|placeholder|aria-label|aria-description)\s*=\s*"([^"]*)\"""", re.I
)
TAG = re.compile(r"<[^>]*>", re.S)
COMMENT = re.compile(r"<!--.*?-->", re.S)
# Words: two letters or more. Entities (&nbsp;), CSS and scripts are not words a person reads.
WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")
ENTITY = re.compile(r"&[a-z]+;|&#x?[0-9a-f]+;", re.I)
NOT_READ = re.compile(r"<(style|script)\b.*?</\1>", re.S | re.I)
TEMPLATE_COMMENT = re.compile(r"\{%\s*comment\b.*?\{%\s*endcomment\s*%\}|\{#.*?#\}", re.S)
BLOCK_TRANSLATION = re.compile(
    r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S
)
TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)

# Read the same in English and French: the product's name, the abbreviation for minutes, PDF.
SAME_IN_BOTH = frozenset({"Fascia", "min", "PDF", "JSON"})

MARKED_LATER: set[str] = set()


def templates() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("templates/**/*")
        if path.suffix in (".html", ".txt") and "admin" not in path.relative_to(PACKAGE).parts[1:3]
    )


def words_outside_translation(source: str) -> list[str]:
    """Text a person would read that is written into the template itself."""
    text = TEMPLATE_COMMENT.sub(" ", source)
    text = BLOCK_TRANSLATION.sub("§", text)  # translated, variables and all
    text = TEMPLATE_CODE.sub("§", text)  # {% translate %}, {{ variables }} and other tags
    text = NOT_READ.sub(" ", COMMENT.sub(" ", text))
    attributes = " ".join(READ_ATTRIBUTES.findall(text))
    between_tags = TAG.sub(" ", text)
    words = WORD.findall(ENTITY.sub(" ", f"{between_tags} {attributes}"))
    return [word for word in words if word not in SAME_IN_BOTH]


def test_no_template_writes_words_outside_translation() -> None:
    untranslated = {}
    for path in templates():
        name = str(path.relative_to(PACKAGE))
        words = words_outside_translation(path.read_text())
        if words and name not in MARKED_LATER:
            untranslated[name] = " ".join(words[:12])
    assert not untranslated, "\n".join(f"{k}: {v}" for k, v in sorted(untranslated.items()))


def test_the_list_of_templates_left_to_mark_only_shrinks() -> None:
    done = {
        name for name in MARKED_LATER if not words_outside_translation((PACKAGE / name).read_text())
    }
    assert not done, f"these are translated now; take them off MARKED_LATER: {sorted(done)}"


def test_the_check_finds_words_and_lets_translated_ones_pass() -> None:
    assert words_outside_translation('<p title="Weeks">Choose a time</p>') == [
        "Choose",
        "time",
        "Weeks",
    ]
    assert not words_outside_translation(
        '<p title="{% translate "Weeks" %}">{% translate "Choose a time" %}</p>'
        "{% blocktranslate %}With {{ name }}{% endblocktranslate %} {{ day|date:'D' }} → &nbsp;"
        "<style>p { color: red }</style>"
    )
