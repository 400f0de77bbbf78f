"""`{{ therapist.languages|spoken_languages }}`: the languages a therapist treats in, as they
typed them, with the two official languages named in the reader's language ("anglais,
mandarin" on a French page for "English, Mandarin")."""

from collections.abc import Iterable

from django import template
from django.utils.translation import pgettext

from fascia.website.directory import fold_language

register = template.Library()


@register.filter
def spoken_languages(names: Iterable[str] | None) -> str:
    official = {
        "english": pgettext("a language someone speaks", "English"),
        "french": pgettext("a language someone speaks", "French"),
    }
    return ", ".join(official.get(fold_language(name), name) for name in names or [])
