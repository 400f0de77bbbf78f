"""One deployment, many practices: nothing one practice owns is visible to another."""

from __future__ import annotations

from typing import Any

from django.apps import apps

from fascia.practices.tenancy import PracticeOwned

# Models that are not owned by one practice, and why.
NOT_PRACTICE_OWNED = {
    "practices.practice": "the tenant itself",
    "accounts.user": "a login can work for, or be a client of, several practices",
    "accounts.apitoken": "an API token belongs to a login, which spans practices",
    "public.emailchange": "a login's new address, which spans practices",
    "accounts.recoverycode": "a login's two-step sign-in codes, which span practices",
    "scheduling.schedulestamp": "part of remembered answers' keys, never shown; a plain practice "
    "number so it never stands in the way of deleting one",
    "records.recordstamp": "part of remembered charts' keys, never shown; a plain client number "
    "so it never stands in the way of destroying a record",
}


def test_every_fascia_model_belongs_to_a_practice() -> None:
    unowned = [
        model._meta.label_lower
        for model in apps.get_models()
        if model.__module__.startswith("fascia.")
        and not issubclass(model, PracticeOwned)
        and model._meta.label_lower not in NOT_PRACTICE_OWNED
    ]
    assert unowned == []


def test_staff_cannot_open_another_practices_client(maple: Any, birch: Any, signed_in: Any) -> None:
    web = signed_in(birch.owner)
    assert web.get(f"/staff/clients/{maple.client.pk}/").status_code == 404
    assert web.get(f"/staff/clients/{maple.client.pk}/edit/").status_code == 404
    posted = web.post(f"/staff/clients/{maple.client.pk}/edit/", {"legal_first_name": "Hacked"})
    assert posted.status_code == 404
    maple.client.refresh_from_db()
    assert maple.client.legal_first_name == "Casey"


def test_lists_and_search_show_only_the_practices_own(
    maple: Any, birch: Any, signed_in: Any
) -> None:
    web = signed_in(birch.front_desk)
    listing = web.get("/staff/clients/").content.decode()
    assert birch.client.legal_last_name in listing
    assert maple.client.legal_last_name not in listing
    searched = web.get("/staff/clients/", {"q": maple.client.legal_last_name}).content.decode()
    assert "No client matches" in searched
    therapists = web.get("/staff/therapists/").content.decode()
    assert "Birch Wellness Therapist" in therapists
    assert "Maple Massage Therapist" not in therapists


def test_home_counts_only_the_practices_own(maple: Any, birch: Any, signed_in: Any) -> None:
    page = signed_in(maple.owner).get("/staff/")
    assert page.context["summary"].clients == 1
    assert page.context["summary"].therapists == 1


def test_admin_shows_an_owner_only_their_practice(maple: Any, birch: Any, signed_in: Any) -> None:
    web = signed_in(birch.owner)
    changelist = web.get("/admin/clients/client/").content.decode()
    assert birch.client.legal_last_name in changelist
    assert maple.client.legal_last_name not in changelist
    other = web.get(f"/admin/clients/client/{maple.client.pk}/change/")
    assert other.status_code == 302  # admin redirects a missing object to its index
    practices = web.get("/admin/practices/practice/").content.decode()
    assert "Birch Wellness" in practices
    assert "Maple Massage" not in practices


def test_admin_choice_lists_offer_only_the_practices_records(
    maple: Any, birch: Any, signed_in: Any
) -> None:
    form = signed_in(birch.owner).get("/admin/practices/therapist/add/")
    offered = {choice for choice, _ in form.context["adminform"].form.fields["user"].choices}
    offered_ids = {int(str(choice)) for choice in offered if choice}
    assert birch.owner.pk in offered_ids
    assert maple.owner.pk not in offered_ids
    assert maple.therapist_user.pk not in offered_ids


def test_public_api_is_scoped_by_practice(maple: Any, birch: Any, client: Any) -> None:
    names = [s["name"] for s in client.get("/api/v1/services", {"practice": "maple"}).json()]
    assert names == ["Swedish massage"]
    ambiguous = client.get("/api/v1/services")
    assert ambiguous.status_code == 400
    assert "practice" in ambiguous.json()["detail"]
    assert client.get("/api/v1/services", {"practice": "nope"}).status_code == 404


def test_staff_api_is_scoped_to_the_signed_in_practice(
    maple: Any, birch: Any, signed_in: Any
) -> None:
    therapists = signed_in(birch.front_desk).get("/api/v1/therapists").json()
    assert [t["display_name"] for t in therapists] == ["Birch Wellness Therapist"]
