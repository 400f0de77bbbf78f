"""The conditions guide: what massage therapy may and may not do for common problems, in plain
words, as data the platform ships. Every practice's site shows it (a practice can hide a page or
add its own note: `website.models.ConditionNote`).

Precautions name the intake screening rule they correspond to (`records.screening`), and the
"see a physician first" list on every page is worked out from that screening
(`client_red_flags`), so the guide and the health history never disagree about what needs a
physician before treatment (`website/tests/test_conditions.py` holds them to it).

Written for Fascia in our own words; each page carries the date it was last reviewed."""

from __future__ import annotations

from fascia.website.conditions_body import MUSCLES_JOINTS_AND_NERVES
from fascia.website.conditions_whole_person import WHOLE_PERSON
from fascia.website.guide import (
    GUIDE_TECHNIQUES,
    REVIEW_EVERY_DAYS,
    REVIEWED,
    Condition,
    Precaution,
)

__all__ = [
    "BY_SLUG",
    "CONDITIONS",
    "GUIDE_TECHNIQUES",
    "REVIEWED",
    "REVIEW_EVERY_DAYS",
    "Condition",
    "Precaution",
    "condition",
]

CONDITIONS: tuple[Condition, ...] = (*MUSCLES_JOINTS_AND_NERVES, *WHOLE_PERSON)

BY_SLUG = {condition.slug: condition for condition in CONDITIONS}


def condition(slug: str) -> Condition | None:
    return BY_SLUG.get(slug)
