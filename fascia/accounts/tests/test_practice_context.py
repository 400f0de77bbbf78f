"""Staff who work for two practices act for one at a time, and can switch only between theirs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from fascia.accounts.models import Role, StaffMember
from fascia.clients.models import Client


def test_switching_between_ones_own_practices(maple: Any, birch: Any, signed_in: Any) -> None:
    StaffMember.objects.create(
        practice=birch.practice, user=maple.therapist_user, role=Role.FRONT_DESK
    )
    web = signed_in(maple.therapist_user)
    home = web.get("/staff/")
    assert home.context["current_practice"] == birch.practice  # first by name
    assert 'id="practice-switch"' in home.content.decode()

    web.post("/accounts/switch-practice/", {"practice": maple.practice.pk})
    home = web.get("/staff/")
    assert home.context["current_practice"] == maple.practice
    assert home.context["staff_role"] == Role.THERAPIST


def test_cannot_switch_into_a_practice_one_does_not_work_for(
    maple: Any, birch: Any, signed_in: Any
) -> None:
    web = signed_in(maple.front_desk)
    refused = web.post("/accounts/switch-practice/", {"practice": birch.practice.pk})
    assert refused.status_code == 400
    assert "Choose one of the practices you work for." in refused.content.decode()
    for garbage in ("abc", "", "-1", "1e3", "٣"):  # never a 500
        assert web.post("/accounts/switch-practice/", {"practice": garbage}).status_code == 400
    home = web.get("/staff/")
    assert home.context["current_practice"] == maple.practice
    assert 'id="practice-switch"' not in home.content.decode()
    assert web.get(f"/staff/clients/{birch.client.pk}/").status_code == 404


def test_a_deactivated_staff_member_loses_access(maple: Any, signed_in: Any) -> None:
    StaffMember.objects.filter(user=maple.front_desk).update(is_active=False)
    assert signed_in(maple.front_desk).get("/staff/").status_code == 403


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("America/Toronto", "January 15, 2026 at 3:00 PM"),
        ("America/Vancouver", "January 15, 2026 at 12:00 PM"),
    ],
)
def test_times_show_in_the_practices_time_zone(
    maple: Any, signed_in: Any, zone: str, shown: str
) -> None:
    maple.practice.time_zone = zone
    maple.practice.save()
    Client.objects.filter(pk=maple.client.pk).update(
        consents_updated_at=datetime(2026, 1, 15, 20, 0, tzinfo=UTC)
    )
    detail = signed_in(maple.owner).get(f"/staff/clients/{maple.client.pk}/")
    assert f"Last updated {shown}" in detail.content.decode()
