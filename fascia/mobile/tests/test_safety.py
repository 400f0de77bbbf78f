"""Lone-worker safety: check-ins are logged; a missed "finished, safe" alerts the practice's
safety contact once, through the outbox."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from fascia.audit.models import AuditEntry
from fascia.mobile.models import SafetyAlert, SafetyCheckIn
from fascia.mobile.safety import check_in, raise_overdue_safety_alerts
from fascia.notifications.models import OutboundMessage
from fascia.scheduling.booking import BookingError, book_appointment
from fascia.scheduling.tests.conftest import MONDAY, NOW, MobileWeek, at

TUESDAY = MONDAY + timedelta(days=1)


@pytest.fixture
def home_visit(mobile_week: MobileWeek) -> Any:
    practice = mobile_week.practice
    practice.safety_contact_name = "Priya"
    practice.safety_contact_phone = "+14165550188"
    practice.safety_contact_email = "safety@maple.test"
    practice.safety_grace_minutes = 30
    practice.save()
    request = mobile_week.week.request(
        at(TUESDAY, 10), location=mobile_week.mobile, address=mobile_week.home("M5V 3L9")
    )
    appointment = book_appointment(practice, request, now=NOW).appointment
    OutboundMessage.objects.all().delete()
    return appointment


def test_check_ins_are_logged_in_order_once_each(home_visit: Any) -> None:
    maya = home_visit.therapist.user
    check_in(home_visit, "on_my_way", by=maya, now=at(TUESDAY, 9, 10))
    check_in(home_visit, "arrived", by=maya, now=at(TUESDAY, 9, 52))
    with pytest.raises(BookingError, match="already recorded"):
        check_in(home_visit, "arrived", by=maya, now=at(TUESDAY, 9, 53))
    with pytest.raises(BookingError, match="Unknown check-in"):
        check_in(home_visit, "lunch", by=maya, now=at(TUESDAY, 9, 53))
    assert list(SafetyCheckIn.objects.values_list("kind", flat=True)) == ["on_my_way", "arrived"]
    assert AuditEntry.objects.filter(record_type="mobile.safetycheckin").count() == 2


def test_a_missed_finished_safe_alerts_the_safety_contact_once(home_visit: Any) -> None:
    maya = home_visit.therapist.user
    check_in(home_visit, "on_my_way", by=maya, now=at(TUESDAY, 9, 10))
    check_in(home_visit, "arrived", by=maya, now=at(TUESDAY, 9, 52))
    # The visit ends at 11:00; within the 30 minutes' grace nothing happens.
    assert raise_overdue_safety_alerts(now=at(TUESDAY, 11, 29)) == 0
    assert raise_overdue_safety_alerts(now=at(TUESDAY, 11, 31)) == 1
    assert raise_overdue_safety_alerts(now=at(TUESDAY, 11, 45)) == 0  # once only
    alert = SafetyAlert.objects.get()
    assert "has not checked out of a home visit that ended at 11:00 AM" in alert.message
    assert "Last check-in: Arrived at 9:52 AM" in alert.message
    sent = {(m.channel, m.to) for m in OutboundMessage.objects.all()}
    assert sent == {("sms", "+14165550188"), ("email", "safety@maple.test")}
    # "Finished, safe", even late, closes the alert.
    check_in(home_visit, "finished_safe", by=maya, now=at(TUESDAY, 11, 50))
    alert.refresh_from_db()
    assert alert.resolved_at == at(TUESDAY, 11, 50)


def test_finishing_in_time_raises_nothing(home_visit: Any) -> None:
    maya = home_visit.therapist.user
    check_in(home_visit, "on_my_way", by=maya, now=at(TUESDAY, 9, 10))
    check_in(home_visit, "finished_safe", by=maya, now=at(TUESDAY, 11, 5))
    assert raise_overdue_safety_alerts(now=at(TUESDAY, 12)) == 0
    assert not OutboundMessage.objects.exists()


def test_only_home_visits_take_check_ins(mobile_week: MobileWeek) -> None:
    week = mobile_week.week
    clinic_visit = book_appointment(
        week.practice, week.request(at(TUESDAY, 10), therapist=week.dan), now=NOW
    ).appointment
    with pytest.raises(BookingError, match="for home visits"):
        check_in(clinic_visit, "arrived", by=week.dan.user, now=at(TUESDAY, 10))
