"""The language a person reads Fascia in: chosen with the switcher on every page (`?lang=fr`,
a shareable address), remembered in a cookie and, for a signed-in person, in their profile;
otherwise their browser's language (Django's LocaleMiddleware), falling back to English. An
unknown or missing language never fails: it is English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.functional import SimpleLazyObject, lazy

LANGUAGE_PARAMETER = "lang"


def supported(code: str | None) -> str | None:
    """The supported language for `code` ("fr", "fr-CA" → "fr"), or None."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in dict(settings.LANGUAGES) else None


def english(words: Any) -> str:
    """`words` (a translatable label) in English, Fascia's own language: for what records keep
    (audit entries, receipts as issued), which must not depend on the language of the page."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(words)


def translated_later(message: str, **values: Any) -> str:
    """`message` (marked with `gettext_noop`) with `values`, translated when it is shown, in
    the language active then, rather than when it is made: for words computed before a document
    in the client's language is drawn."""
    return _translated_later(message, values)


def _translate_now(message: str, values: dict[str, Any]) -> str:
    shown = {name: str(value) for name, value in values.items()}
    return translation.gettext(message) % shown if shown else translation.gettext(message)


_translated_later = lazy(_translate_now, str)


def remember_language(person: Any, language: str) -> None:
    """Save the language a signed-in person chose, for their next sign-in anywhere."""
    code = supported(language)
    if code is None:
        raise ValueError(f"Not a language Fascia speaks: {language!r}")
    get_user_model().objects.filter(pk=person.pk).update(language=code)


class LanguageChoiceMiddleware:
    """After sign-in is known: a `?lang=` choice wins (and is remembered), then the signed-in
    person's saved language, then what LocaleMiddleware found (cookie or browser)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = supported(request.GET.get(LANGUAGE_PARAMETER))
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        language = chosen or (supported(user.language) if signed_in else None)  # type: ignore[union-attr]
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        if chosen and signed_in and user.language != chosen:  # type: ignore[union-attr]
            remember_language(user, chosen)
        response = self.get_response(request)
        if chosen:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                chosen,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=request.is_secure(),
                httponly=True,
            )
        return response


def language_links(request: HttpRequest) -> dict[str, object]:
    """Template context: the current language and the same page's address in each language
    (for the switcher and the hreflang links), worked out only if the page draws them (a
    remembered frame usually does not)."""
    return {
        "language_alternates": SimpleLazyObject(lambda: _alternates(request)),
        "current_language": translation.get_language(),
    }


def _alternates(request: HttpRequest) -> list[dict[str, str]]:
    query = request.GET.copy()
    alternates = []
    for code, name in settings.LANGUAGES:
        query[LANGUAGE_PARAMETER] = code
        alternates.append(
            {
                "code": code,
                "name": str(name),
                "url": f"{request.path}?{urlencode(sorted(query.items()))}",
            }
        )
    return alternates
