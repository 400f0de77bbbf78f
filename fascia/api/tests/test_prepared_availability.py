"""The availability response's text: each slot's local times as `isoformat` writes them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from fascia.api.prepared_availability import LocalTimeText, PreparedAvailability
from fascia.practices.models import Practice
from fascia.scheduling.remembered import Answer

ZONES = [
    "America/Toronto",
    "America/St_Johns",
    "America/Vancouver",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "UTC",
]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.lists(
        # From before standard time (local mean time, offsets in seconds) to 2100.
        st.integers(int(datetime(1850, 1, 1, tzinfo=UTC).timestamp()), 4_102_444_800),
        min_size=1,
        max_size=20,
    ),
)
def test_local_times_are_written_as_isoformat_writes_them(
    zone_name: str, moments: list[int]
) -> None:
    zone = ZoneInfo(zone_name)
    text = LocalTimeText(zone)
    for at in moments + moments:  # the second time from what was written
        assert text(at) == datetime.fromtimestamp(at, zone).isoformat(), at


def test_each_slot_is_written_with_its_own_times_therapist_and_location() -> None:
    """Slots sharing a start share its text; a new start, or another end, gets its own."""
    practice = Practice(name="Clinic", time_zone="America/Toronto")
    nine = int(datetime(2031, 3, 3, 14, 0, tzinfo=UTC).timestamp())  # 09:00 in Toronto
    hour, half = 3600, 1800
    slots = [
        (nine, nine + hour, 7, 1, 3),
        (nine, nine + hour, 8, 1, None),
        (nine, nine + half, 9, 2, None),
        (nine + half, nine + half + hour, 7, 1, 3),
    ]
    body = PreparedAvailability.of(practice, Answer.of(slots, None)).response(
        datetime(2031, 3, 3, tzinfo=UTC), datetime(2031, 3, 4, tzinfo=UTC)
    )
    assert json.loads(body.content) == {
        "slots": [
            {
                "start": "2031-03-03T09:00:00-05:00",
                "end": "2031-03-03T10:00:00-05:00",
                "therapist": 7,
                "location": 1,
            },
            {
                "start": "2031-03-03T09:00:00-05:00",
                "end": "2031-03-03T10:00:00-05:00",
                "therapist": 8,
                "location": 1,
            },
            {
                "start": "2031-03-03T09:00:00-05:00",
                "end": "2031-03-03T09:30:00-05:00",
                "therapist": 9,
                "location": 2,
            },
            {
                "start": "2031-03-03T09:30:00-05:00",
                "end": "2031-03-03T10:30:00-05:00",
                "therapist": 7,
                "location": 1,
            },
        ],
        "home_visit": None,
    }
