"""A therapist's private calendar feed opens in a calendar client and can be revoked."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from icalendar import Calendar

from fascia.audit.models import AuditAction, AuditEntry
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.feeds import active_feed
from fascia.scheduling.models import Appointment
from fascia.scheduling.tests.conftest import SOON as DAY
from fascia.scheduling.tests.conftest import TORONTO, ClinicWeek, MobileWeek, at

TEN = datetime.combine(DAY, time(10), tzinfo=TORONTO)


def test_the_feed_lists_the_therapists_visits_without_health_details(
    open_week: ClinicWeek, signed_in: Any, client: Any
) -> None:
    week = open_week
    book_appointment(week.practice, week.request(TEN))
    book_appointment(week.practice, week.request(TEN, therapist=week.dan, client=week.other_client))
    therapist_web = signed_in(week.cast.therapist_user)
    therapist_web.post(f"/staff/therapists/{week.maya.pk}/calendar-feed/", {"action": "issue"})
    feed = active_feed(week.maya)
    assert feed is not None
    page = therapist_web.get(f"/staff/therapists/{week.maya.pk}/calendar-feed/")
    assert f"/calendar/{feed.token}.ics" in page.content.decode()

    response = client.get(f"/calendar/{feed.token}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1  # Maya's visit only, not Dan's
    (event,) = events
    assert event.decoded("dtstart") == TEN
    assert str(event["summary"]) == "Casey M. — clinic"  # never the treatment
    assert AuditEntry.objects.filter(
        action=AuditAction.EXPORT, record_type="scheduling.calendarfeed"
    ).exists()


def test_resetting_or_turning_off_the_feed_revokes_the_old_link(
    week: ClinicWeek, signed_in: Any, client: Any
) -> None:
    owner = signed_in(week.cast.owner)
    owner.post(f"/staff/therapists/{week.maya.pk}/calendar-feed/", {"action": "issue"})
    old = active_feed(week.maya)
    assert old is not None
    owner.post(f"/staff/therapists/{week.maya.pk}/calendar-feed/", {"action": "reset"})
    new = active_feed(week.maya)
    assert new is not None and new.token != old.token
    assert client.get(f"/calendar/{old.token}.ics").status_code == 404
    assert client.get(f"/calendar/{new.token}.ics").status_code == 200
    owner.post(f"/staff/therapists/{week.maya.pk}/calendar-feed/", {"action": "revoke"})
    assert client.get(f"/calendar/{new.token}.ics").status_code == 404


def test_only_the_therapist_and_owner_manage_a_feed(week: ClinicWeek, signed_in: Any) -> None:
    url = f"/staff/therapists/{week.maya.pk}/calendar-feed/"
    assert signed_in(week.cast.front_desk).get(url).status_code == 403
    assert signed_in(week.dan.user).post(url, {"action": "issue"}).status_code == 403
    assert active_feed(week.maya) is None


def test_a_home_visit_in_the_feed_names_the_town_not_the_street(
    mobile_week: MobileWeek, signed_in: Any, client: Any
) -> None:
    week = mobile_week.week
    week.practice.works_statutory_holidays = True
    week.practice.save()
    visit = book_appointment(
        week.practice,
        week.request(
            at(DAY, 12, 30), location=mobile_week.mobile, address=mobile_week.home("M5V 3L9")
        ),
    ).appointment
    Appointment.objects.filter(pk=visit.pk).update(
        visit_street="12 Elm St", visit_city="Milton", visit_access_notes="Side door; dog"
    )
    signed_in(week.cast.therapist_user).post(
        f"/staff/therapists/{week.maya.pk}/calendar-feed/", {"action": "issue"}
    )
    feed = active_feed(week.maya)
    assert feed is not None
    body = client.get(f"/calendar/{feed.token}.ics").content
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["summary"]) == "Casey M. — home visit"
    assert str(event["location"]) == "Milton"
    text = body.decode()
    for private in ("Elm", "M5V", "dog", "Swedish"):
        assert private not in text
