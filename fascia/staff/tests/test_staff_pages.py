"""The staff pages show the practice's real records, with bounded queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fascia.clients.actions import register_client
from fascia.practices.models import Location, Room, ServiceArea


def test_home_shows_counts_and_links_to_each_record(maple: Any, signed_in: Any) -> None:
    html = signed_in(maple.front_desk).get("/staff/").content.decode()
    assert 'data-testid="count-clients">1<' in html
    assert 'data-testid="count-therapists">1<' in html
    for link in ("/staff/clients/", "/staff/therapists/", "/staff/services/", "/staff/locations/"):
        assert f'href="{link}"' in html


def test_bookkeeper_home_hides_the_client_directory(maple: Any, signed_in: Any) -> None:
    html = signed_in(maple.bookkeeper).get("/staff/").content.decode()
    assert "count-clients" not in html
    assert 'href="/staff/clients/"' not in html


def test_client_list_paginates_with_a_fixed_number_of_queries(
    maple: Any, signed_in: Any, django_assert_max_num_queries: Any
) -> None:
    for index in range(40):
        register_client(
            maple.practice, by=None, legal_first_name=f"Client{index}", legal_last_name="Zed"
        )
    web = signed_in(maple.front_desk)
    web.get("/staff/")  # the practice itself is read once per server process, until it changes
    # The page's own queries, and the audit entry of the listing: the chain head locked, the
    # entry written, the head moved on.
    with django_assert_max_num_queries(10):
        page = web.get("/staff/clients/")
    assert len(page.context["page"].object_list) == 25
    assert "Page 1 of 2" in page.content.decode()


def test_location_list_shows_rooms_and_service_areas(
    maple: Any, signed_in: Any, django_assert_max_num_queries: Any
) -> None:
    clinic = Location.objects.get(practice=maple.practice, name="Clinic")
    Room.objects.create(practice=maple.practice, location=clinic, name="Room 1")
    mobile = Location.objects.create(practice=maple.practice, name="Mobile", kind="mobile")
    for name in ("Guelph", "Milton", "Caledon"):
        area = ServiceArea.objects.create(
            practice=maple.practice, name=name, centroid_latitude="43.5", centroid_longitude="-80.2"
        )
        mobile.service_areas.add(area)
    web = signed_in(maple.therapist_user)
    web.get("/staff/")  # the practice itself is read once per server process, until it changes
    with django_assert_max_num_queries(6):
        html = web.get("/staff/locations/").content.decode()
    assert "Room 1" in html
    assert "Caledon, Guelph, Milton" in html


def test_service_list_shows_each_length_and_price(maple: Any, signed_in: Any) -> None:
    html = signed_in(maple.bookkeeper).get("/staff/services/").content.decode()
    assert "60 min $120.00" in html


def test_home_lists_todays_visits_by_role(
    week: Any, signed_in: Any, monkeypatch: Any, django_assert_max_num_queries: Any
) -> None:
    from django.utils import timezone

    from fascia.scheduling.attendance import cancel_appointment
    from fascia.scheduling.booking import book_appointment
    from fascia.scheduling.tests.conftest import MONDAY, NOW, at

    maya_visit = book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW)
    book_appointment(
        week.practice,
        week.request(at(MONDAY, 11), therapist=week.dan, client=week.other_client),
        now=NOW,
    )
    cancelled = book_appointment(week.practice, week.request(at(MONDAY, 15)), now=NOW)
    cancel_appointment(cancelled.appointment, by=week.cast.front_desk, now=NOW)
    book_appointment(week.practice, week.request(at(MONDAY + timedelta(days=1), 10)), now=NOW)
    monkeypatch.setattr(timezone, "now", lambda: at(MONDAY, 8))

    web = signed_in(week.cast.front_desk)
    with django_assert_max_num_queries(14):
        page = web.get("/staff/")
    html = page.content.decode()
    assert 'data-testid="count-today">2<' in html  # the cancelled visit does not count
    assert 'data-testid="count-upcoming">3 in the next 7 days<' in html
    rows = [visit.therapist.display_name for visit in page.context["today"]]
    assert rows == ["Maple Massage Therapist", "Dan Okafor"]
    assert "10:00 AM–11:00 AM" in html and "Robin Other" in html

    mine = signed_in(week.cast.therapist_user).get("/staff/")
    assert [v.pk for v in mine.context["today"]] == [maya_visit.appointment.pk]
    assert "Your visits today" in mine.content.decode()

    bookkeeper = signed_in(week.cast.bookkeeper).get("/staff/").content.decode()
    assert 'data-testid="count-today">2<' in bookkeeper
    assert "Robin Other" not in bookkeeper and "today-visit" not in bookkeeper
