"""A therapist's public profile (name, pronouns, gender, about, languages, photo, taking new
clients): edited by the therapist or the owner, shown on the practice's site and searched by
the directory."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as WebClient
from django.urls import reverse
from PIL import Image

from fascia.scheduling.tests.conftest import ClinicWeek


def profile(**changes: Any) -> dict[str, Any]:
    values = {
        "record": "profile",
        "display_name": "Maya Chen",
        "pronouns": "she/her",
        "gender": "woman",
        "bio_en": "Maya treats desk workers.",
        "languages": "English,  Mandarin, english",
        "accepting_new_clients": "on",
    }
    values.update(changes)
    return values


def test_a_therapist_edits_their_own_public_profile(
    week: ClinicWeek, signed_in: Any, client: WebClient
) -> None:
    maya = week.maya
    url = reverse("staff:professional-records", args=[maya.pk])
    own = signed_in(week.cast.therapist_user)
    photo = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 20, 30)).save(photo, "JPEG")
    answer = own.post(
        url, profile(photo=SimpleUploadedFile("me.jpg", photo.getvalue(), "image/jpeg"))
    )
    assert answer.status_code == 302
    maya.refresh_from_db()
    assert (maya.display_name, maya.gender, maya.languages) == (
        "Maya Chen",
        "woman",
        ["English", "Mandarin"],
    )
    assert maya.photo
    page = client.get(f"/book/maple/therapists/{maya.pk}/").content.decode()
    assert "Maya treats desk workers." in page and "English, Mandarin" in page
    assert client.get(f"/book/maple/therapists/{maya.pk}/photo/").status_code == 200
    # Not taking new clients: the page says so and offers no booking.
    own.post(url, profile(accepting_new_clients=""))
    page = client.get(f"/book/maple/therapists/{maya.pk}/").content.decode()
    assert "Not taking new clients at the moment." in page and "min with Maya" not in page


def test_bad_profile_input_is_refused_beside_the_field(week: ClinicWeek, signed_in: Any) -> None:
    url = reverse("staff:professional-records", args=[week.maya.pk])
    owner = signed_in(week.cast.owner)
    answer = owner.post(url, profile(display_name="", gender="robot"))
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "This field is required." in text and "Select a valid choice" in text
    week.maya.refresh_from_db()
    assert week.maya.display_name != ""


def test_another_therapist_cannot_edit_the_profile(week: ClinicWeek, signed_in: Any) -> None:
    dan = signed_in(week.dan.user)
    url = reverse("staff:professional-records", args=[week.maya.pk])
    assert dan.post(url, profile(display_name="Hacked")).status_code == 404
    week.maya.refresh_from_db()
    assert week.maya.display_name != "Hacked"
