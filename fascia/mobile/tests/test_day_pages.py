"""The mobile day on screen: drives between visits, the planner's proposal confirmed by the
therapist, check-in buttons, the run sheet; and who may see and do what."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from fascia.mobile.models import SafetyCheckIn
from fascia.mobile.tests.test_planner import TUESDAY, scrambled_day
from fascia.records.history import submit_health_history
from fascia.scheduling.models import Appointment
from fascia.scheduling.tests.conftest import NOW, MobileWeek


def day_url(mobile_week: MobileWeek) -> str:
    return f"/staff/therapists/{mobile_week.week.maya.pk}/day/{TUESDAY.isoformat()}/"


def test_the_day_shows_visits_and_drives(mobile_week: MobileWeek, signed_in: Any) -> None:
    visits = scrambled_day(mobile_week)
    submit_health_history(
        visits[0].client, answers={"conditions": ["osteoporosis"]}, source="staff"
    )
    page = signed_in(mobile_week.week.cast.front_desk).get(day_url(mobile_week))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-drive-minutes="195"' in text
    assert "72 min" in text and "leave by 9:00 AM" in text
    assert "Client0 Home" in text
    sheet = signed_in(mobile_week.week.cast.front_desk).get(day_url(mobile_week) + "run-sheet/")
    assert "Run sheet" in sheet.content.decode() and "M5V 3L9" in sheet.content.decode()
    # Each client's alerts are on the day and the run sheet.
    assert "Osteoporosis: no forceful pressure" in text
    assert "Osteoporosis: no forceful pressure" in sheet.content.decode()


def test_the_therapist_plans_and_applies_the_shorter_route(
    mobile_week: MobileWeek, signed_in: Any, monkeypatch: Any
) -> None:
    # The planned day is in 2031; the page's clock stands on the Saturday before it, so the
    # booking engine's re-check of each new time (not in the past, within the window) holds.
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    scrambled_day(mobile_week)
    web = signed_in(mobile_week.week.maya.user)
    proposal = web.post(day_url(mobile_week), {"action": "plan"}).content.decode()
    assert "18 minutes and" in proposal and "less driving" in proposal
    fingerprint = proposal.split('name="fingerprint" value="')[1].split('"')[0]
    applied = web.post(
        day_url(mobile_week), {"action": "apply", "fingerprint": fingerprint}, follow=True
    )
    assert "Day replanned" in applied.content.decode()
    assert 'data-drive-minutes="177"' in applied.content.decode()


def test_front_desk_sees_but_does_not_plan_and_the_bookkeeper_does_not_see(
    mobile_week: MobileWeek, signed_in: Any
) -> None:
    scrambled_day(mobile_week)
    desk = signed_in(mobile_week.week.cast.front_desk)
    refused = desk.post(day_url(mobile_week), {"action": "plan"}, follow=True)
    assert "Only the therapist" in refused.content.decode()
    assert signed_in(mobile_week.week.cast.bookkeeper).get(day_url(mobile_week)).status_code == 403


def test_check_in_buttons_record_the_taps(mobile_week: MobileWeek, signed_in: Any) -> None:
    visit = scrambled_day(mobile_week)[0]
    web = signed_in(mobile_week.week.maya.user)
    # Check-ins belong to the visit's day and the page runs on the real clock: move it to now.
    now = timezone.now()
    hour = timedelta(hours=1)
    Appointment.objects.filter(pk=visit.pk).update(
        starts_at=now, ends_at=now + hour, busy_from=now, busy_until=now + hour
    )
    response = web.post(f"/staff/appointments/{visit.pk}/check-in/", {"kind": "on_my_way"})
    assert response.status_code == 302
    assert list(SafetyCheckIn.objects.values_list("kind", flat=True)) == ["on_my_way"]
    other = signed_in(mobile_week.week.cast.front_desk)
    other.post(f"/staff/appointments/{visit.pk}/check-in/", {"kind": "arrived"})
    assert SafetyCheckIn.objects.count() == 1


def test_the_day_flags_an_alert_against_the_visits_service(
    mobile_week: MobileWeek, signed_in: Any
) -> None:
    visits = scrambled_day(mobile_week)
    submit_health_history(
        visits[0].client, answers={"conditions": ["osteoporosis"]}, source="staff"
    )
    service = visits[0].service
    service.modality = "joint_mobilization"  # osteoporosis: no joint mobilization
    service.save()
    page = signed_in(mobile_week.week.maya.user).get(day_url(mobile_week)).content.decode()
    assert page.count("Advised against for this service") == 1  # only her client has it
    sheet = signed_in(mobile_week.week.maya.user).get(day_url(mobile_week) + "run-sheet/")
    assert "Advised against for this service" in sheet.content.decode()


def test_after_finished_safe_no_check_in_button_is_offered_and_addresses_open_maps(
    mobile_week: MobileWeek, signed_in: Any
) -> None:
    visit = scrambled_day(mobile_week)[0]
    web = signed_in(mobile_week.week.maya.user)
    now = timezone.now()
    hour = timedelta(hours=1)
    Appointment.objects.filter(pk=visit.pk).update(
        starts_at=now, ends_at=now + hour, busy_from=now, busy_until=now + hour
    )
    today = (
        f"/staff/therapists/{mobile_week.week.maya.pk}/day/{timezone.localdate(now).isoformat()}/"
    )
    page = web.get(today).content.decode()
    assert 'value="on_my_way"' in page
    # The address opens the phone's maps app; Fascia draws no map and calls nobody.
    assert 'href="geo:' in page and "q=" in page and "opens your maps app" in page
    for kind in ("on_my_way", "arrived", "finished_safe"):
        web.post(f"/staff/appointments/{visit.pk}/check-in/", {"kind": kind})
    page = web.get(today).content.decode()
    assert "✓ Finished, safe" in page
    assert 'name="kind"' not in page  # no "On my way" once the visit is finished
    again = web.post(
        f"/staff/appointments/{visit.pk}/check-in/", {"kind": "on_my_way"}, follow=True
    )
    assert SafetyCheckIn.objects.filter(appointment=visit).count() == 3
    assert "already recorded" in again.content.decode()


def test_two_homes_the_offline_geocoder_cannot_tell_apart_are_the_same_area(
    mobile_week: MobileWeek, signed_in: Any
) -> None:
    visits = scrambled_day(mobile_week)
    # Two postal codes of one area: the offline geocoder places both at the area's centre.
    first, second = visits[1], visits[2]
    Appointment.objects.filter(pk=second.pk).update(
        visit_latitude=first.visit_latitude,
        visit_longitude=first.visit_longitude,
        visit_postal_code="N1H 1A1",
    )
    page = signed_in(mobile_week.week.maya.user).get(day_url(mobile_week)).content.decode()
    assert "Same area, 5 min" in page
    assert "· 0.0 km" not in page and "0 km" not in page
