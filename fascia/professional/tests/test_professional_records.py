"""Professional and equipment records: kept in the product's pages, reminders before anything
expires, a lapsed registration or insurance keeps the therapist from being booked, equipment
overdue for servicing is flagged."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.formats import date_format

from fascia.notifications.models import OutboundMessage
from fascia.practices.models import Location
from fascia.professional.actions import add_insurance
from fascia.professional.models import ContinuingEducation, Equipment
from fascia.professional.reminders import queue_expiry_reminders
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.choices import offered_by
from fascia.scheduling.errors import BookingError
from fascia.scheduling.tests.conftest import MONDAY, at

TORONTO = ZoneInfo("America/Toronto")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_therapist_keeps_their_records_and_the_owner_sees_everyones(
    maple: Any, signed_in: Any, settings: Any, tmp_path: Any
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    own = signed_in(maple.therapist_user)
    page = f"/staff/professional/{maple.therapist.pk}/"
    assert own.get("/staff/professional/")["Location"] == page
    own.post(
        page,
        {
            "record": "registration",
            "registration_number": "A1234",
            "registration_status": "general",
            "registration_expires_on": "2027-10-31",
            "education_cycle_starts_on": "2026-01-01",
        },
    )
    refused = own.post(
        page,
        {
            "record": "insurance",
            "insurer": "Co-operators",
            "policy_number": "P-1",
            "coverage": "5000000",
            "starts_on": "2026-06-01",
            "expires_on": "2026-05-01",
        },
    )
    assert "cannot end before it starts" in refused.content.decode()
    not_a_document = own.post(
        page,
        {
            "record": "education",
            "completed_on": "2026-03-02",
            "title": "Myofascial release",
            "provider": "RMTAO",
            "category": "course",
            "credits": "7.5",
            "certificate": SimpleUploadedFile("c.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert "Upload a PDF, PNG or JPEG" in not_a_document.content.decode()
    assert not ContinuingEducation.objects.exists()
    for title, credits in (("Myofascial release", "7.5"), ("Ethics refresher", "2")):
        own.post(
            page,
            {
                "record": "education",
                "completed_on": "2026-03-02",
                "title": title,
                "provider": "RMTAO",
                "category": "course",
                "credits": credits,
                "certificate": SimpleUploadedFile("c.pdf", PDF),
            },
        )
    html = own.get(page).content.decode()
    assert "9.5 hours or credits" in html
    activity = ContinuingEducation.objects.first()
    assert activity is not None
    download = own.get(f"/staff/professional/certificates/{activity.pk}/")
    assert b"".join(download.streaming_content) == PDF
    assert str(tmp_path) in activity.certificate.path  # protected storage, no public URL
    assert signed_in(maple.front_desk).get(page).status_code == 403
    assert signed_in(maple.owner).get(page).status_code == 200
    assert (
        signed_in(maple.owner).get(f"/staff/professional/certificates/{activity.pk}/").status_code
        == 200
    )


def test_reminders_go_60_and_14_days_before_and_the_owner_hears_of_a_lapse(
    maple: Any, signed_in: Any
) -> None:
    maple.therapist.registration_expires_on = date(2027, 3, 1)
    maple.therapist.save()
    for day, expected in ((date(2026, 12, 1), 0), (date(2026, 12, 31), 2), (date(2027, 1, 2), 0)):
        moment = datetime.combine(day, datetime.min.time(), TORONTO) + timedelta(hours=9)
        assert queue_expiry_reminders(now=moment) == expected, day
    sixty = OutboundMessage.objects.filter(subject__contains="expires on")
    assert set(sixty.values_list("to", flat=True)) == {"therapist@maple.test", "owner@maple.test"}
    queue_expiry_reminders(now=datetime(2027, 2, 16, 9, tzinfo=TORONTO))
    assert OutboundMessage.objects.filter(subject__contains="expires on").count() == 4
    queue_expiry_reminders(now=datetime(2027, 3, 2, 9, tzinfo=TORONTO))
    lapsed = OutboundMessage.objects.get(subject__contains="cannot be booked")
    assert lapsed.to == "owner@maple.test"
    queue_expiry_reminders(now=datetime(2027, 3, 3, 9, tzinfo=TORONTO))
    assert OutboundMessage.objects.filter(subject__contains="cannot be booked").count() == 1


def test_a_lapsed_registration_or_insurance_hides_the_therapist_from_booking(
    week: Any, signed_in: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: at(MONDAY, 8))
    start = at(MONDAY, 10)
    assert week.maya in offered_by(week.practice, week.service)[0]
    week.maya.registration_expires_on = MONDAY - timedelta(days=1)
    week.maya.save()
    assert week.maya not in offered_by(week.practice, week.service)[0]
    assert week.dan in offered_by(week.practice, week.service)[0]
    with pytest.raises(BookingError, match="registration lapsed"):
        book_appointment(week.practice, week.request(start), now=at(MONDAY, 8))
    owner_page = signed_in(week.cast.owner).get("/staff/professional/").content.decode()
    assert "registration lapsed" in owner_page

    # Renewed only until the day before the visit: that visit cannot be booked either.
    week.maya.registration_expires_on = MONDAY + timedelta(days=1)
    week.maya.save()
    with pytest.raises(BookingError, match="registration lapsed"):
        book_appointment(
            week.practice, week.request(at(MONDAY + timedelta(days=2), 10)), now=at(MONDAY, 8)
        )
    week.maya.registration_expires_on = MONDAY + timedelta(days=300)
    week.maya.save()
    add_insurance(
        week.maya,
        insurer="Co-operators",
        policy_number="P-9",
        coverage=Decimal("2000000"),
        starts_on=MONDAY - timedelta(days=400),
        expires_on=MONDAY - timedelta(days=35),
    )
    assert week.maya not in offered_by(week.practice, week.service)[0]
    with pytest.raises(BookingError, match="insurance lapsed"):
        book_appointment(week.practice, week.request(start), now=at(MONDAY, 8))
    add_insurance(
        week.maya,
        insurer="Co-operators",
        policy_number="P-10",
        coverage=Decimal("2000000"),
        starts_on=MONDAY - timedelta(days=35),
        expires_on=MONDAY + timedelta(days=330),
    )
    assert week.maya in offered_by(week.practice, week.service)[0]
    assert book_appointment(week.practice, week.request(start), now=at(MONDAY, 8)).appointment


def test_equipment_overdue_for_servicing_is_flagged_and_the_owner_reminded(
    maple: Any, signed_in: Any
) -> None:
    clinic = Location.objects.for_practice(maple.practice).get()
    desk = signed_in(maple.front_desk)
    desk.post(
        "/staff/equipment/",
        {
            "location": clinic.pk,
            "name": "Hydrocollator",
            "kind": "hydrocollator",
            "serial_number": "H-77",
            "service_every_days": "180",
            "in_use_since": (timezone.localdate() - timedelta(days=200)).isoformat(),
        },
    )
    item = Equipment.objects.get()
    assert "Overdue since" in desk.get("/staff/equipment/").content.decode()
    assert queue_expiry_reminders() == 1
    assert (
        OutboundMessage.objects.get(subject__contains="due for servicing").to == "owner@maple.test"
    )
    future = desk.post(
        f"/staff/equipment/{item.pk}/",
        {
            "kind": "servicing",
            "done_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "done_by": "Acme",
        },
    )
    assert "once it is done" in future.content.decode()
    desk.post(
        f"/staff/equipment/{item.pk}/",
        {"kind": "servicing", "done_on": timezone.localdate().isoformat(), "done_by": "Acme"},
    )
    html = desk.get("/staff/equipment/").content.decode()
    assert "Overdue since" not in html
    assert date_format(timezone.localdate() + timedelta(days=180)) in html
    assert signed_in(maple.bookkeeper).get("/staff/equipment/").status_code == 403
