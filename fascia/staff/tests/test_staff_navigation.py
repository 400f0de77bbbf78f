"""The staff pages' main navigation shows each role its own links, in the reader's language,
whichever role and language drew it first in the server process."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client as WebClient


def navigation(web: WebClient) -> list[str]:
    page = web.get("/staff/").content.decode()
    found = re.search(r'<nav class="topnav"[^>]*>(.*?)</nav>', page, re.S)
    assert found is not None
    return re.findall(r">([^<]+)</a>", found.group(1))


def test_each_role_sees_its_own_links_in_its_own_language(maple: Any, signed_in: Any) -> None:
    owner = navigation(signed_in(maple.owner))
    assert {"Team", "Set-up", "Reports", "Pay", "Clients"} <= set(owner)

    therapist = navigation(signed_in(maple.therapist_user))
    assert {"Clients", "Pay", "Credentials"} <= set(therapist)
    assert not {"Team", "Set-up", "Reports"} & set(therapist)

    front_desk = navigation(signed_in(maple.front_desk))
    assert {"Clients", "Reports"} <= set(front_desk)
    assert not {"Pay", "Team", "Credentials"} & set(front_desk)

    bookkeeper = navigation(signed_in(maple.bookkeeper))
    assert {"Reports", "Pay"} <= set(bookkeeper)
    assert not {"Clients", "My day", "Equipment"} & set(bookkeeper)

    french = signed_in(maple.owner)
    french.cookies["django_language"] = "fr"
    assert {"Équipe", "Configuration", "Rapports"} <= set(navigation(french))
    assert "Team" not in navigation(french)
    assert navigation(signed_in(maple.owner)) == owner  # English again, as first drawn


def test_the_platform_admin_link_is_only_for_platform_operators(maple: Any, signed_in: Any) -> None:
    assert "Admin" not in navigation(signed_in(maple.owner))
    maple.owner.is_staff = True
    maple.owner.save()
    assert "Admin" in navigation(signed_in(maple.owner))
