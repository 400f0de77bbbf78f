"""A person signs in through a real browser and lands on the practice's home page."""

from __future__ import annotations

from typing import Any

import pytest

from fascia.conftest import PASSWORD, make_practice

pytestmark = pytest.mark.browser


def test_staff_member_signs_in_and_sees_the_practice_home(live_server: Any, page: Any) -> None:
    cast = make_practice("maple", "Maple Massage")
    page.goto(f"{live_server.url}/staff/")
    assert "/accounts/sign-in/" in page.url  # signed-out visitors are sent to sign in

    page.get_by_label("Email").fill("FrontDesk@Maple.test ")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().startswith("Please enter a correct")

    page.get_by_label("Email").fill(cast.front_desk.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(f"{live_server.url}/staff/")
    assert page.get_by_role("heading", level=1).inner_text() == "Maple Massage"
    assert page.get_by_test_id("count-clients").inner_text() == "1"
    assert page.get_by_test_id("count-therapists").inner_text() == "1"

    page.get_by_role("link", name="Clients", exact=True).first.click()
    page.wait_for_url(f"{live_server.url}/staff/clients/")
    page.get_by_role("link", name="Mapleclient, Casey").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Casey Mapleclient")
