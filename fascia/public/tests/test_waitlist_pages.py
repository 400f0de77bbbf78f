"""A signed-in client joins the waitlist from the booking steps."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fascia.scheduling.models import WaitlistEntry
from fascia.scheduling.tests.conftest import SOON, ClinicWeek


def test_a_client_joins_the_waitlist_from_the_time_step(
    open_week: ClinicWeek, signed_in: Any
) -> None:
    web = signed_in(open_week.client.user)
    slug = open_week.practice.slug
    query = (
        f"service={open_week.service.pk}&minutes=60&therapist={open_week.maya.pk}"
        f"&location={open_week.clinic.pk}"
    )
    time_step = web.get(f"/book/{slug}/time/?{query}").content.decode()
    assert f"/book/{slug}/waitlist/?" in time_step
    form = web.get(f"/book/{slug}/waitlist/?{query}")
    assert "Tell me when an earlier time frees up" in form.content.decode()
    refused = web.post(
        f"/book/{slug}/waitlist/?{query}",
        {"earliest_date": SOON.isoformat(), "latest_date": (SOON - timedelta(days=3)).isoformat()},
    )
    assert "The last date must not be before the first." in refused.content.decode()
    done = web.post(
        f"/book/{slug}/waitlist/?{query}",
        {
            "earliest_date": SOON.isoformat(),
            "latest_date": (SOON + timedelta(days=7)).isoformat(),
            "times_of_day": ["morning", "evening"],
        },
    )
    assert done.status_code == 302
    entry = WaitlistEntry.objects.get()
    assert (entry.client, entry.therapist, entry.times_of_day) == (
        open_week.client,
        open_week.maya,
        ["morning", "evening"],
    )
