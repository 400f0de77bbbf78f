"""Choosing the language: the browser's by default, a `?lang=` switch that is remembered (and
saved to a signed-in person's profile), alternate-language links on every page, and English
for anything unknown."""

from __future__ import annotations

from typing import Any

from django.test import Client as WebClient

from fascia.accounts.models import User
from fascia.languages import supported


def test_supported_languages_fold_regional_variants() -> None:
    assert supported("fr-CA") == "fr" and supported("fr_ca") == "fr" and supported("EN") == "en"
    assert supported("de") is None and supported("") is None and supported(None) is None


def test_the_browser_language_is_the_default(db: Any) -> None:
    french = WebClient(HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")
    assert '<html lang="fr">' in french.get("/").content.decode()
    english = WebClient(HTTP_ACCEPT_LANGUAGE="de-DE")
    assert '<html lang="en">' in english.get("/").content.decode()


def test_the_switch_is_remembered_and_unknown_languages_fall_back(db: Any) -> None:
    web = WebClient()
    page = web.get("/", {"lang": "fr"})
    assert page.status_code == 200 and '<html lang="fr">' in page.content.decode()
    assert web.cookies["django_language"].value == "fr"
    assert '<html lang="fr">' in web.get("/").content.decode()  # remembered
    unknown = WebClient().get("/", {"lang": "xx"})
    assert unknown.status_code == 200 and '<html lang="en">' in unknown.content.decode()


def test_every_page_links_to_itself_in_the_other_language(db: Any) -> None:
    page = WebClient().get("/therapists/", {"place": "Milton"}).content.decode()
    assert 'hreflang="fr" href="http://testserver/therapists/?lang=fr&amp;place=Milton"' in page
    assert '<a href="/therapists/?lang=fr&amp;place=Milton" hreflang="fr" lang="fr">' in page


def test_a_signed_in_person_s_choice_is_saved_to_their_profile(db: Any, signed_in: Any) -> None:
    person = User.objects.create_user("pat@example.com", "correct-horse-battery")
    web = signed_in(person)
    web.get("/", {"lang": "fr"})
    person.refresh_from_db()
    assert person.language == "fr"
    fresh = signed_in(person)  # another browser, no cookie: the profile decides
    assert '<html lang="fr">' in fresh.get("/account/security/").content.decode()
