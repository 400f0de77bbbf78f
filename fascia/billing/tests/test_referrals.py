"""Referral notes: uploaded to protected storage, served to the front desk, the owner and a
therapist who treats the client (never the bookkeeper, who sees only that one is on file), and
a booking warning when the plan needs a referral that is missing or expired."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fascia.billing.errors import BillingError
from fascia.billing.models import ReferralNote
from fascia.billing.referrals import upload_referral
from fascia.billing.tests.test_coverage import policy
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek, at

PDF = b"%PDF-1.4\n% a referral\n"


def test_booking_warns_when_the_plan_needs_a_referral(
    week: ClinicWeek, settings: Any, tmp_path: Any
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    policy(week, referral_required=True)
    first = book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW)
    assert first.warnings == [
        "Sun Life requires a physician's referral for massage therapy, and none is on file: "
        "the client may not be reimbursed."
    ]
    upload_referral(
        week.client,
        document=SimpleUploadedFile("referral.pdf", PDF),
        physician="Dr. Lee",
        issued_on=date(2031, 1, 1),
        expires_on=date(2031, 3, 1),
    )
    later = book_appointment(
        week.practice, week.request(at(MONDAY, 14), accepts_cancellation_policy=True), now=NOW
    )
    assert "the last one expired on March 1, 2031" in later.warnings[0]
    upload_referral(
        week.client,
        document=SimpleUploadedFile("referral.pdf", PDF),
        physician="Dr. Lee",
        issued_on=date(2031, 3, 1),
    )
    assert (
        book_appointment(
            week.practice,
            week.request(at(MONDAY + timedelta(days=1), 10)),
            now=NOW,
        ).warnings
        == []
    )


def test_uploads_are_checked_and_served_to_the_front_desk_owner_and_treating_therapist(
    week: ClinicWeek, signed_in: Any, settings: Any, tmp_path: Any
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    with pytest.raises(BillingError, match="PDF, PNG or JPEG"):
        upload_referral(
            week.client,
            document=SimpleUploadedFile("referral.exe", b"MZ\x90\x00"),
            physician="Dr. Lee",
            issued_on=date(2031, 1, 1),
        )
    with pytest.raises(BillingError, match="cannot expire before"):
        upload_referral(
            week.client,
            document=SimpleUploadedFile("referral.pdf", PDF),
            physician="Dr. Lee",
            issued_on=date(2031, 3, 1),
            expires_on=date(2031, 1, 1),
        )
    desk = signed_in(week.cast.front_desk)
    desk.post(
        f"/staff/clients/{week.client.pk}/billing/referrals/",
        {
            "physician": "Dr. Lee",
            "issued_on": "2031-01-01",
            "document": SimpleUploadedFile("referral.pdf", PDF, content_type="application/pdf"),
        },
    )
    note = ReferralNote.objects.get()
    assert str(tmp_path) in note.document.path  # protected storage, not MEDIA_ROOT
    response = desk.get(f"/staff/referrals/{note.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    file_url = f"/staff/referrals/{note.pk}/"
    assert signed_in(week.cast.owner).get(file_url).status_code == 200
    # A therapist opens the referrals of clients they treat, not every client's.
    assert signed_in(week.maya.user).get(file_url).status_code == 403
    book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW)
    assert signed_in(week.maya.user).get(file_url).status_code == 200
    assert signed_in(week.dan.user).get(file_url).status_code == 403
    # The bookkeeper sees that a referral is on file and until when, never the note itself.
    bookkeeper = signed_in(week.cast.bookkeeper)
    assert bookkeeper.get(file_url).status_code == 403
    page = bookkeeper.get(f"/staff/clients/{week.client.pk}/billing/").content.decode()
    assert "Referral on file" in page and "issued January 1, 2031" in page
    assert file_url not in page and "Dr. Lee" not in page
    assert "billing/referrals/" not in page  # no upload form either
    assert (
        bookkeeper.post(
            f"/staff/clients/{week.client.pk}/billing/referrals/",
            {"physician": "Dr. Lee", "issued_on": "2031-01-01"},
        ).status_code
        == 403
    )
    assert file_url in desk.get(f"/staff/clients/{week.client.pk}/billing/").content.decode()
