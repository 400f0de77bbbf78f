"""A client with one booked visit with Maya, ready to be charted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from fascia.records.consents import ConsentRequest
from fascia.scheduling.booking import book_appointment
from fascia.scheduling.tests.conftest import MONDAY, NOW, ClinicWeek, at, open_week, week  # noqa: F401

# The chart's visit is Monday at 10:00; its note is signed once the treatment is given.
AFTER_VISIT = at(MONDAY, 11, 15)


@dataclass
class Chart:
    week: ClinicWeek
    appointment: Any

    @property
    def client(self) -> Any:
        return self.week.client

    @property
    def maya(self) -> Any:
        return self.week.maya.user


def consent_to(scope: str, **changes: Any) -> ConsentRequest:
    values: dict[str, Any] = {
        "scope": scope,
        "nature": "Swedish massage of the neck and back, 60 minutes.",
        "benefits": "Less neck pain and stiffness.",
        "risks": "Soreness for a day or two; rarely bruising.",
        "alternatives": "Exercise, physiotherapy, no treatment.",
        "consequences": "Pain may persist or recur.",
        "withdrawal_explained": True,
        "given": True,
        "method": "verbal",
    }
    values.update(changes)
    return ConsentRequest(**values)


@pytest.fixture
def chart(week: ClinicWeek) -> Chart:  # noqa: F811 - the shared fixture
    appointment = book_appointment(week.practice, week.request(at(MONDAY, 10)), now=NOW).appointment
    return Chart(week, appointment)
