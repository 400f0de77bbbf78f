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


def _reads_practices(web: Any) -> tuple[str, bool]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = web.get("/staff/")
    assert page.status_code == 200
    read = any(
        '"practices_practice"' in query["sql"] and query["sql"].lstrip().startswith("SELECT")
        for query in queries.captured_queries
    )
    return page.content.decode(), read


def test_the_practice_is_read_again_only_after_it_changes(maple: Any, signed_in: Any) -> None:
    """Each server process keeps the practice as last read, under its stamp: a page after
    another reads only the memberships, and any change to the practice (saved, or updated in
    bulk) is on the very next page."""
    from fascia.practices.models import Practice

    web = signed_in(maple.owner)
    _reads_practices(web)
    page, read = _reads_practices(web)
    assert not read and "Maple Massage" in page

    maple.practice.display_name = "Maple Massage & Wellness"
    maple.practice.save()
    page, read = _reads_practices(web)
    assert read and "Maple Massage &amp; Wellness" in page

    Practice.objects.filter(pk=maple.practice.pk).update(display_name="Maple on Main")
    page, read = _reads_practices(web)
    assert read and "Maple on Main" in page
    assert not _reads_practices(web)[1]


def test_a_role_taken_away_counts_at_once_though_the_practice_is_kept(
    maple: Any, signed_in: Any
) -> None:
    web = signed_in(maple.front_desk)
    _reads_practices(web)
    StaffMember._base_manager.filter(user=maple.front_desk).update(is_active=False)
    assert web.get("/staff/").status_code in (302, 403)


def test_a_bulk_update_of_a_service_changes_the_practices_schedule_stamp(maple: Any) -> None:
    """What stamps a practice's schedule on a save stamps it on a bulk update too."""
    from fascia.practices.models import Service
    from fascia.scheduling.models import ScheduleStamp
    from fascia.scheduling.remembered import PRACTICE_UNIT

    def stamp() -> int:
        return ScheduleStamp.objects.get(practice_id=maple.practice.pk, unit=PRACTICE_UNIT).token

    before = stamp()
    Service.objects.filter(practice=maple.practice).update(name="Swedish, 60 minutes")
    assert stamp() != before


def test_who_is_signed_in_and_where_they_work_is_one_statement(
    maple: Any, birch: Any, signed_in: Any, django_assert_num_queries: Any
) -> None:
    """A signed-in page reads its session, the person and their places on practices' staff in
    one statement, once the process has met the session (before: the session, then the rest)."""
    StaffMember.objects.create(practice=birch.practice, user=maple.owner, role=Role.FRONT_DESK)
    web = signed_in(maple.owner)
    with django_assert_num_queries(4):  # the session; the person; each practice, then kept
        assert web.get("/accounts/welcome/").status_code == 302  # to the staff home
    with django_assert_num_queries(1):
        assert web.get("/accounts/welcome/").status_code == 302
    page = web.get("/staff/").content.decode()
    assert "Owner ·" in page and "Birch Wellness</option>" in page

    StaffMember.objects.filter(user=maple.owner, practice=birch.practice).update(is_active=False)
    maple.owner.full_name = "Olive Owner"
    maple.owner.save()
    page = web.get("/staff/").content.decode()  # read afresh every time: changes count at once
    assert "Olive Owner · Owner" in page and "Birch Wellness</option>" not in page


def test_the_signed_in_read_gives_what_the_orm_gives(maple: Any, birch: Any) -> None:
    from fascia.accounts.models import User
    from fascia.accounts.practice_context import active_memberships, read_signed_in

    StaffMember.objects.create(practice=birch.practice, user=maple.owner, role=Role.FRONT_DESK)
    StaffMember.objects.create(
        practice=birch.practice, user=maple.therapist_user, role=Role.OWNER, is_active=False
    )
    for user in (maple.owner, maple.therapist_user, maple.client_user):
        read = read_signed_in(user.pk)
        assert read is not None
        stored = User.objects.get(pk=user.pk)
        for field in User._meta.concrete_fields:
            assert getattr(read, field.attname) == getattr(stored, field.attname), field.name
        memberships = {(m.pk, m.role, m.practice.name) for m in active_memberships(read)}
        assert memberships == {
            (m.pk, m.role, m.practice.name)
            for m in StaffMember.objects.filter(user=user, is_active=True)
        }
    assert read_signed_in(10**9) is None
