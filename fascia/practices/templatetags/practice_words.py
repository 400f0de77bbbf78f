"""`{{ service|language_of:"description" }}`: the language a practice-written passage reads in
(the reader's, or the other when the practice wrote only that one), for its `lang` attribute."""

from django import template

from fascia import practice_words

register = template.Library()


@register.filter
def language_of(instance: object, name: str) -> str:
    return practice_words.language_of(instance, name)  # type: ignore[arg-type]
