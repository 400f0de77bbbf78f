"""Adding and changing clients: validation, normalisation and consent timestamps."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from fascia.audit.models import AuditEntry
from fascia.clients.actions import register_client, update_client
from fascia.clients.models import Client
from fascia.practices.models import normalise_postal_code


def test_a_bad_postal_code_is_refused_and_nothing_is_saved(maple: Any) -> None:
    clients_before, entries_before = Client.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        register_client(
            maple.practice,
            by=maple.front_desk,
            legal_first_name="Ada",
            legal_last_name="Byron",
            postal_code="12345",
        )
    assert "postal code" in str(refused.value)
    assert (Client.objects.count(), AuditEntry.objects.count()) == (clients_before, entries_before)


def test_the_form_shows_a_clear_message_for_bad_input(maple: Any, signed_in: Any) -> None:
    response = signed_in(maple.front_desk).post(
        "/staff/clients/new/",
        {
            "legal_first_name": "",
            "legal_last_name": "Byron",
            "province": "ON",
            "preferred_language": "en",
            "postal_code": "ZZZ",
            "email": "not-an-email",
            "phone": "12",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html
    assert "Enter a Canadian postal code such as L6Y 0B3." in html
    assert "Enter a valid email address." in html
    assert "Enter a valid phone number" in html
    assert not Client.objects.filter(legal_last_name="Byron").exists()


def test_changing_a_consent_records_when(maple: Any) -> None:
    client = maple.client
    first_stamp = client.consents_updated_at
    update_client(client, by=maple.front_desk, legal_last_name="Renamed")
    client.refresh_from_db()
    assert client.consents_updated_at == first_stamp
    update_client(client, by=maple.front_desk, consents_to_sms_reminders=True)
    client.refresh_from_db()
    assert client.consents_to_sms_reminders
    assert client.consents_updated_at > first_stamp


def test_an_update_that_changes_nothing_writes_nothing(maple: Any) -> None:
    before = AuditEntry.objects.count()
    update_client(maple.client, by=maple.front_desk, legal_first_name="Casey")
    assert AuditEntry.objects.count() == before


def test_search_finds_by_any_part_of_the_name_or_email(maple: Any) -> None:
    clients = Client.objects.for_practice(maple.practice)
    assert list(clients.search("casey maple")) == [maple.client]
    assert list(clients.search("client@maple")) == [maple.client]
    assert list(clients.search("nobody")) == []


LETTERS = "ABCEGHJKLMNPRSTVXY"
SECOND_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"
postal_codes = st.builds(
    lambda a, b, c, d, e, f: f"{a}{b}{c}{d}{e}{f}",
    st.sampled_from(LETTERS),
    st.integers(0, 9).map(str),
    st.sampled_from(SECOND_LETTERS),
    st.integers(0, 9).map(str),
    st.sampled_from(SECOND_LETTERS),
    st.integers(0, 9).map(str),
)


@given(postal_codes, st.sampled_from(["", " ", "  "]), st.booleans())
def test_postal_codes_normalise_to_one_form(code: str, gap: str, lower: bool) -> None:
    typed = code[:3] + gap + code[3:]
    typed = typed.lower() if lower else typed
    normal = normalise_postal_code(typed)
    assert normal == f"{code[:3]} {code[3:]}"
    assert normalise_postal_code(normal) == normal


@given(st.text(max_size=10))
def test_anything_else_is_refused_not_mangled(text: str) -> None:
    try:
        normal = normalise_postal_code(text)
    except ValidationError:
        return
    assert len(normal) == 7 and normal[3] == " "
