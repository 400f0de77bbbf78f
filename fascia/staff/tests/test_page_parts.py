"""The page frame's remembered parts show each person exactly what a fresh drawing would: their
own name, role and practices, in their language, with their own CSRF token."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client as WebClient

from fascia.accounts.models import Role, StaffMember
from fascia.staff.templatetags.page_parts import forget_remembered_parts

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _frame(page: bytes) -> str:
    """The page with its CSRF tokens (masked afresh on every request) made alike."""
    return TOKEN.sub('name="csrfmiddlewaretoken" value="…"', page.decode())


def _remembered_and_fresh(web: WebClient, path: str) -> tuple[str, str]:
    web.get(path)  # drawn, and remembered
    remembered = _frame(web.get(path).content)
    forget_remembered_parts()
    return remembered, _frame(web.get(path).content)


@pytest.mark.parametrize(
    "path, who",
    [
        ("/staff/", "owner"),
        ("/staff/", "therapist_user"),
        ("/staff/clients/", "front_desk"),
        ("/account/", "client_user"),
        ("/", None),
        ("/book/maple/", None),
        ("/accounts/sign-in/", None),
    ],
)
def test_a_remembered_frame_is_the_frame_drawn_afresh(
    maple: Any, birch: Any, signed_in: Any, path: str, who: str | None
) -> None:
    StaffMember.objects.create(practice=birch.practice, user=maple.owner, role=Role.OWNER)
    web = signed_in(getattr(maple, who)) if who else WebClient()
    for language in ("en", "fr"):
        web.cookies["django_language"] = language
        remembered, fresh = _remembered_and_fresh(web, path)
        assert remembered == fresh
        assert "fascia-csrf-token-placeholder" not in remembered


def test_each_person_sees_their_own_name_practices_and_role(
    maple: Any, birch: Any, signed_in: Any
) -> None:
    StaffMember.objects.create(practice=birch.practice, user=maple.owner, role=Role.OWNER)
    owner_page = signed_in(maple.owner).get("/staff/").content.decode()
    therapist_page = signed_in(maple.therapist_user).get("/staff/").content.decode()

    assert "Owner · Owner" in owner_page
    assert f'<option value="{birch.practice.pk}"' in owner_page  # works for two practices
    assert "Therapist · Therapist" in therapist_page
    assert "Owner ·" not in therapist_page
    assert "practice-switch" not in therapist_page

    maple.owner.full_name = "Olivia Renamed"
    maple.owner.save()
    birch.practice.display_name = "Birch Wellness Downtown"
    birch.practice.save()
    renamed = signed_in(maple.owner).get("/staff/").content.decode()
    assert "Olivia Renamed · Owner" in renamed
    assert "Birch Wellness Downtown</option>" in renamed


def test_each_request_gets_its_own_csrf_token_and_it_signs_out(maple: Any) -> None:
    first = WebClient(enforce_csrf_checks=True)
    first.force_login(maple.owner)
    second = WebClient(enforce_csrf_checks=True)
    second.force_login(maple.front_desk)

    first_page = first.get("/staff/").content.decode()
    second_page = second.get("/staff/").content.decode()
    first_token = TOKEN.findall(first_page)[-1]
    second_token = TOKEN.findall(second_page)[-1]
    assert _unmask_cipher_token(first_token) == first.cookies["csrftoken"].value
    assert _unmask_cipher_token(second_token) == second.cookies["csrftoken"].value
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value

    signed_out = first.post("/accounts/sign-out/", {"csrfmiddlewaretoken": first_token})
    assert signed_out.status_code == 302
    assert first.get("/staff/").status_code == 302  # to the sign-in page
    assert second.get("/staff/").status_code == 200


def test_a_part_must_name_what_it_shows_not_a_record(maple: Any) -> None:
    part = Template(
        '{% load page_parts %}{% remembered_part "brand" practice %}{{ practice.name }}'
        "{% endremembered_part %}"
    )
    with pytest.raises(TemplateSyntaxError, match="does not say what it shows"):
        part.render(Context({"practice": maple.practice}))
    with pytest.raises(TemplateSyntaxError, match="quoted name"):
        Template("{% load page_parts %}{% remembered_part brand %}{% endremembered_part %}")
