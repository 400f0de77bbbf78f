"""The practice's site, guide, forms and directory in French."""

from __future__ import annotations

import html as html_lib
import io
from typing import Any

import pytest
from django.test import Client as WebClient
from pypdf import PdfReader

from fascia.notifications.models import OutboundMessage
from fascia.public.tests.test_practice_site import html
from fascia.scheduling.tests.conftest import ClinicWeek
from fascia.tests.french import english_left_on


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


def pdf_words(response: Any) -> str:
    return " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())


def french_page(response: Any) -> str:
    page = html(response)
    assert '<html lang="fr">' in page, page[:300]
    left = english_left_on(page)
    assert not left, f"English on a French page: {left}"
    return html_lib.unescape(page)


def treated_paid_and_receipted(week: ClinicWeek, appointment: Any) -> Any:
    """The visit given, paid by debit at the desk, and its receipt issued."""
    from fascia.billing.actions import invoice_appointment, record_payment
    from fascia.billing.receipts import issue_receipt
    from fascia.scheduling.attendance import set_attendance

    after = appointment.ends_at
    set_attendance(appointment, "arrived", by=week.cast.front_desk, now=appointment.starts_at)
    set_attendance(appointment, "completed", by=week.cast.front_desk, now=after)
    invoice = invoice_appointment(appointment, by=week.cast.front_desk, now=after)
    record_payment(
        invoice, amount_paid="120.00", method="debit", by=week.cast.front_desk, now=after
    )
    return issue_receipt(invoice, now=after)


def test_a_french_speaking_client_books_fills_in_forms_and_gets_a_french_receipt(
    open_week: ClinicWeek, client: WebClient, django_capture_on_commit_callbacks: Any
) -> None:
    """From the practice's home page to a booked visit, the health history and a receipt,
    all in French: every page, every email and the receipt PDF."""
    from fascia.public.tests.emails import emailed_link
    from fascia.public.tests.test_online_booking import NEW_PERSON, START, choice, hold
    from fascia.scheduling.models import Appointment

    week = open_week
    home = french_page(client.get("/book/maple/", {"lang": "fr"}))
    assert "Réserver" in home
    french_page(client.get("/book/maple/services/"))
    french_page(client.get(f"/book/maple/therapist/?service={week.service.pk}&minutes=60"))
    location = f"/book/maple/location/?service={week.service.pk}&minutes=60&therapist=any"
    assert client.get(location).status_code == 302  # one clinic: on to the times
    times = french_page(client.get(f"/book/maple/time/?{choice(week, week=START.date())}"))
    assert "Choisir une heure" in times
    details = french_page(client.get(hold(client, week)))
    assert "Confirmer votre rendez-vous" in details
    refused = french_page(client.post(hold(client, week), NEW_PERSON))
    assert "Veuillez lire et accepter la politique d'annulation" in refused
    with django_capture_on_commit_callbacks(execute=True):
        asked = french_page(client.post(hold(client, week), {**NEW_PERSON, "accept_policy": "on"}))
    assert "Vérifiez vos courriels" in asked

    link = emailed_link("jordan@example.com", "Confirmez votre réservation")
    french_page(client.get(link))
    with django_capture_on_commit_callbacks(execute=True):
        booked = client.post(link)
    done = french_page(client.get(booked["Location"]))
    assert "C'est réservé" in done
    appointment = Appointment.objects.get()
    assert appointment.client.preferred_language == "fr"
    written = OutboundMessage.objects.filter(to="jordan@example.com").order_by("pk")
    assert [message.subject for message in written] == [
        "Confirmez votre réservation chez Maple Massage",
        "Votre rendez-vous est réservé",
    ]

    account = french_page(client.get("/account/"))
    assert "Remplir mes antécédents médicaux" in account
    intake = f"/account/health-history/{appointment.client.pk}/"
    form = french_page(client.get(intake))
    assert "Êtes-vous enceinte?" in form and "Médicaments et allergies" in form
    refused = french_page(client.post(intake, {"pregnant": "yes", "pregnancy_weeks": "99"}))
    assert "inférieure ou égale à 45" in refused  # the error beside the field, in French
    sent = client.post(intake, {"reason": "Douleur au bas du dos", "pregnant": "no"})
    assert sent.status_code == 302, html(sent)[:3000]
    assert "Remplir mes antécédents médicaux" not in french_page(client.get("/account/"))

    receipt = treated_paid_and_receipted(week, appointment)
    account = french_page(client.get("/account/"))
    assert f"Reçu {receipt.number}" in account
    text = pdf_words(client.get(f"/account/receipts/{receipt.pk}.pdf"))
    for words in (
        f"Reçu {receipt.number}",
        "Traitement de massothérapie",
        "Date et heure du service",
        "Numéro d'inscription à l'Ordre (CMTO)",
        "60 minutes",
        "120,00 $",
        "Débit",
        "signé électroniquement par",
    ):
        assert words in text, (words, text)
    assert not english_left_on(text), english_left_on(text)

    # Staff print the same receipt in either language; the client's is the default.
    desk = WebClient()
    desk.force_login(week.cast.front_desk)
    english = desk.get(f"/staff/receipts/{receipt.pk}.pdf", {"document_language": "en"})
    assert "Massage therapy treatment" in pdf_words(english)
    french = desk.get(f"/staff/receipts/{receipt.pk}.pdf")
    assert "Traitement de massothérapie" in pdf_words(french)
    assert desk.get("/staff/").wsgi_request.LANGUAGE_CODE == "en"  # printing changed no page


def test_what_the_practice_writes_reads_in_each_clients_language(
    open_week: ClinicWeek,
    client: WebClient,
    signed_in: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The owner writes the service, the cancellation policy, the site's words and a note on
    the guide in English and French on the set-up pages; a French visitor reads the French, an
    English one the English, and the French client's emails and receipt carry the French. What
    was written in English only reads in English for everyone."""
    from fascia.public.tests.emails import emailed_link
    from fascia.public.tests.test_online_booking import NEW_PERSON, START, choice, hold
    from fascia.scheduling.models import Appointment

    week = open_week
    owner = signed_in(week.cast.owner)
    service_page = owner.get(f"/staff/setup/services/{week.service.pk}/")
    assert 'lang="fr"' in html(service_page)  # the French fields are marked as French
    form = service_page.context["form"]
    posted = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | dict)
    }
    posted |= {
        "name_en": "Therapeutic massage",
        "name_fr": "Massothérapie thérapeutique",
        "description_en": "Assessment and treatment of what brings you in.",
        "description_fr": "Évaluation et traitement de ce qui vous amène.",
        "in_clinic": "on",
        "bookable_online": "on",
        "minutes_0": "60",
        "price_0": "120.00",
    }
    for unset in ("in_home", "taxable"):
        posted.pop(unset, None)
    saved = owner.post(f"/staff/setup/services/{week.service.pk}/", posted)
    assert saved.status_code == 302, html(saved)[-3000:]
    pages = {
        "/staff/setup/cancellation/": {
            "cancellation_policy_en": "Give 24 hours' notice, or half the fee is charged.",
            "cancellation_policy_fr": "Donnez 24 heures de préavis, sinon la moitié du prix "
            "est facturée.",
            "cancellation_notice_hours": "24",
            "late_cancellation_fee_percent": "50",
            "minimum_notice_minutes": "0",
            "booking_window_days": "90",
        },
        "/staff/setup/website/": {
            "headline_en": "Massage in Maple town",
            "headline_fr": "Massothérapie à Maple",
            "introduction_en": "We treat aches and pains.",
            "contact_form_open": "on",
        },
        "/staff/setup/conditions/": {
            "condition": "sciatica",
            "shown": "yes",
            "note": "Dan treats sciatica on Mondays.",
            "note_fr": "Dan traite la sciatique le lundi.",
        },
    }
    for url, written in pages.items():
        page = owner.post(url, written)
        assert page.status_code == 302, (url, html(page)[-3000:])

    english = html(WebClient().get("/book/maple/", {"lang": "en"}))
    assert "Massage in Maple town" in english and "Massothérapie à Maple" not in english
    home = french_page(client.get("/book/maple/", {"lang": "fr"}))
    assert "Massothérapie à Maple" in home
    assert "We treat aches and pains." in home  # written in English only: read in English,
    assert '<div class="site-words" lang="en">' in home  # and marked so for screen readers
    assert '<p class="lede" lang="fr">Massothérapie à Maple</p>' in home
    sciatica = french_page(client.get("/book/maple/conditions/sciatica/"))
    assert '<div lang="fr"><p>Dan traite la sciatique le lundi.</p></div>' in sciatica
    services = french_page(client.get("/book/maple/services/"))
    assert "Massothérapie thérapeutique" in services and "Évaluation et traitement" in services
    assert "Therapeutic massage" not in services
    french_page(client.get(f"/book/maple/time/?{choice(week, week=START.date())}"))
    details = french_page(client.get(hold(client, week)))
    assert "Donnez 24 heures de préavis" in details
    with django_capture_on_commit_callbacks(execute=True):
        client.post(hold(client, week), {**NEW_PERSON, "accept_policy": "on"})
    link = emailed_link("jordan@example.com", "Confirmez votre réservation")
    with django_capture_on_commit_callbacks(execute=True):
        booked = client.post(link)
    assert booked.status_code == 302
    appointment = Appointment.objects.get()
    booked_email = OutboundMessage.objects.get(
        to="jordan@example.com", subject="Votre rendez-vous est réservé"
    )
    assert "Massothérapie thérapeutique" in booked_email.body

    receipt = treated_paid_and_receipted(week, appointment)
    text = pdf_words(client.get(f"/account/receipts/{receipt.pk}.pdf"))
    assert "Massothérapie thérapeutique, 60 min" in text, text
    desk = WebClient()
    desk.force_login(week.cast.front_desk)
    printed = pdf_words(desk.get(f"/staff/receipts/{receipt.pk}.pdf", {"document_language": "en"}))
    assert "Therapeutic massage, 60 min" in printed


def test_the_languages_a_therapist_speaks_are_named_in_the_readers_language(
    open_week: ClinicWeek, client: WebClient
) -> None:
    dan = open_week.dan
    dan.languages = ["English", "Français", "Tagalog"]
    dan.save()
    french = french_page(client.get(f"/book/maple/therapists/{dan.pk}/", {"lang": "fr"}))
    assert "anglais, français, Tagalog" in french
    english = html(WebClient().get(f"/book/maple/therapists/{dan.pk}/", {"lang": "en"}))
    assert "English, French, Tagalog" in english
