"""The practice's site, guide, forms and directory in French."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as WebClient

from fascia.public.tests.test_practice_site import html
from fascia.scheduling.tests.conftest import ClinicWeek


def test_the_practice_site_and_guide_in_french(open_week: ClinicWeek, client: WebClient) -> None:
    home = html(client.get("/book/maple/", {"lang": "fr"}))
    assert '<html lang="fr">' in home
    for words in ("Massothérapeutes", "Nous joindre", "Tarifs et assurances", "Réserver"):
        assert words in home
    sciatica = html(client.get("/book/maple/conditions/sciatica/"))  # the choice is remembered
    assert "<h1>Sciatique</h1>" in sciatica
    assert "Consultez d&#x27;abord un médecin" in sciatica or "Consultez d'abord un médecin" in (
        sciatica
    )
    therapist = html(client.get(f"/book/maple/therapists/{open_week.dan.pk}/"))
    assert "Ordre des massothérapeutes de l&#x27;Ontario" in therapist or (
        "Ordre des massothérapeutes de l'Ontario" in therapist
    )


def test_a_french_form_refuses_bad_input_in_french(
    open_week: ClinicWeek, client: WebClient
) -> None:
    refused = client.post(
        "/book/maple/contact/?lang=fr",
        {"name": "Sam", "email": "sam@example.com", "message": "<script>x</script>"},
    )
    assert refused.status_code == 400
    assert "Écrivez en texte simple" in html(refused)


def test_the_directory_in_french(db: Any, client: WebClient) -> None:
    page = html(client.get("/therapists/", {"lang": "fr", "place": "Atlantis"}))
    assert "Trouver un·e massothérapeute autorisé·e" in page
    assert "Personne ne correspond à tous ces critères" in page


@pytest.mark.browser
def test_the_french_site_on_a_phone(live_server: Any, page: Any, open_week: ClinicWeek) -> None:
    from fascia.staff.tests.test_browser_front_desk_day import shot
    from fascia.tests.accessibility import assert_accessible

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/book/maple/")
    page.get_by_role("link", name="Français").click()
    page.get_by_role("navigation", name="Site Web de Maple Massage").get_by_role(
        "link", name="Problèmes traités"
    ).click()
    page.get_by_role("link", name="Sciatique").click()
    page.get_by_role("heading", name="Sciatique", exact=True).wait_for()
    assert page.get_attribute("html", "lang") == "fr"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    shot(page, "fr-sciatica-phone")
    page.get_by_role("link", name="English").click()
    page.get_by_role("heading", name="Sciatica", exact=True).wait_for()


def test_a_french_speaking_client_is_written_to_in_french(
    week: ClinicWeek, django_capture_on_commit_callbacks: Any
) -> None:
    from fascia.notifications.models import OutboundMessage
    from fascia.scheduling.booking import book_appointment
    from fascia.scheduling.tests.conftest import MONDAY, at

    week.client.preferred_language = "fr"
    week.client.save()
    with django_capture_on_commit_callbacks(execute=True):
        book_appointment(week.practice, week.request(at(MONDAY, 10)), now=at(MONDAY, 7))
    email = OutboundMessage.objects.get(to=week.client.email, channel="email")
    assert email.subject == "Votre rendez-vous est réservé"
    assert "Bonjour Casey, votre rendez-vous est réservé." in email.body
    assert "Quand : lundi 3 mars à 10 h 00" in email.body
    # An English-speaking client, the same day, in English.
    week.other_client.preferred_language = "en"
    week.other_client.save()
    with django_capture_on_commit_callbacks(execute=True):
        book_appointment(
            week.practice,
            week.request(at(MONDAY, 14), client=week.other_client),
            now=at(MONDAY, 7),
        )
    english = OutboundMessage.objects.get(to=week.other_client.email, channel="email")
    assert english.subject == "Your appointment is booked"
    assert "When: Monday, March 3 at 2:00 PM" in english.body
