"""What a practice writes for its clients, in English and in French.

Services, locations, therapists' bios, the cancellation policy, the practice's site and its
notes on the conditions guide, and self-care exercises are each kept in both languages
(django-modeltranslation, registered in each app's `translation.py`): a field `name` has the
columns `name_en` and `name_fr`, and reading `service.name` gives the reader's language, or the
other one when that is all the practice wrote. Set-up pages ask for both (`InBothLanguages`,
`in_both_languages`); emails, texts and documents are written under the client's language, so
they follow it too.

The original column (`name`) always holds the English (or, with none, the French): what the
database's own rules (one service of a name per practice) and anything reading the table
directly see (`settle_original_columns`, before checking and saving).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.db import models
from django.db.models.signals import pre_save
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator

LANGUAGES = ("en", "fr")
IN_LANGUAGE = {"en": _("in English"), "fr": _("in French")}


def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields of `model` written in both languages (none if it is not registered)."""
    if model not in translator.get_registered_models():
        return ()
    return tuple(translator.get_options_for_model(model).fields)  # type: ignore[attr-defined]


def in_both_languages(model: type[models.Model], fields: Iterable[str]) -> list[str]:
    """A form's field list with each translated field given in both languages, in place."""
    translated = translated_fields(model)
    return [
        written
        for name in fields
        for written in ([f"{name}_{code}" for code in LANGUAGES] if name in translated else [name])
    ]


def with_original_columns(model: type[models.Model], names: Iterable[str]) -> list[str]:
    """`update_fields` for a save of `names`: with the original column of each translation."""
    names = list(names)
    originals = {
        name.rsplit("_", 1)[0]
        for name in names
        if "_" in name and name.rsplit("_", 1)[1] in LANGUAGES
    } & set(translated_fields(model))
    return [*names, *sorted(originals - set(names))]


def in_each_language(words: Callable[[], str]) -> dict[str, str]:
    """`words()` worked out in each language (product wording and what the practice wrote)."""
    written = {}
    for code in LANGUAGES:
        with translation.override(code):
            written[code] = str(words())
    return written


def as_written(name: str, written: dict[str, str]) -> dict[str, str | None]:
    """Keyword arguments setting field `name` in each language (and its original column), for
    creating a row: `InvoiceLine(**as_written("description", {"en": ..., "fr": ...}))`."""
    english, french = written.get("en") or "", written.get("fr") or ""
    return {name: english or french, f"{name}_en": english or None, f"{name}_fr": french or None}


def language_of(instance: models.Model | None, name: str) -> str:
    """The language `instance.name` reads in now: the reader's, or the other when the practice
    wrote only that one (for the `lang` of the passage showing it)."""
    current = (translation.get_language() or "en").split("-")[0]
    order = [current, *(code for code in LANGUAGES if code != current)]
    for code in order:
        if instance is not None and getattr(instance, f"{name}_{code}", None):
            return code
    return current


def written_in(instance: models.Model | None, name: str, language: str) -> str:
    """What the practice wrote for `name` in `language` only (no falling back): for the forms
    that ask for both."""
    return (getattr(instance, f"{name}_{language}", None) or "") if instance is not None else ""


def settle_original_columns(instance: models.Model) -> None:
    """The original column of each translated field holds its English, or else its French."""
    for name in translated_fields(type(instance)):
        english, french = (getattr(instance, f"{name}_{code}", None) for code in LANGUAGES)
        nullable = getattr(instance._meta.get_field(name), "null", False)
        value = english or french or (None if nullable else "")
        instance.__dict__[name] = value


class InBothLanguages(forms.ModelForm):
    """A set-up form whose translated fields are asked in English and in French: each labelled
    with its language (and marked as French for screen readers); the French may be left empty,
    and then clients reading French see the English."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = self._meta.model
        for name in translated_fields(model):
            original = model._meta.get_field(name)
            for code in LANGUAGES:
                field = self.fields.get(f"{name}_{code}")
                if field is None:
                    continue
                field.label = _("%(field)s, %(language)s") % {
                    "field": str(original.verbose_name).capitalize(),
                    "language": IN_LANGUAGE[code],
                }
                field.help_text = original.help_text if code == "en" else ""
                field.required = code == "en" and not original.blank
                field.widget.attrs["lang"] = code
                if isinstance(original, models.TextField):
                    field.widget = forms.Textarea(attrs={"rows": 4, "lang": code})


def _keep_the_original_column(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
    settle_original_columns(instance)


def connect_signals() -> None:
    for model in translator.get_registered_models():
        pre_save.connect(
            _keep_the_original_column, sender=model, dispatch_uid=f"words:{model._meta.label}"
        )
