"""The pieces of the conditions guide: a condition's page and its precautions (the pages
themselves are in `conditions_body` and `conditions_whole_person`; `conditions` puts them
together)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fascia.practices.modalities import Modality

# The techniques the guide names (the seeds' list); each condition uses some of them.
GUIDE_TECHNIQUES = (
    Modality.SWEDISH,
    Modality.DEEP_TISSUE,
    Modality.TRIGGER_POINT,
    Modality.MYOFASCIAL_RELEASE,
    Modality.JOINT_MOBILIZATION,
    Modality.LYMPHATIC_DRAINAGE,
    Modality.HYDROTHERAPY,
    Modality.CUPPING,
    Modality.REHABILITATION,
)

REVIEWED = date(2026, 12, 5)
REVIEW_EVERY_DAYS = 365


@dataclass(frozen=True)
class Precaution:
    """Something to know before treatment. `screening_rule` names the intake screening rule
    that looks for it; `physician_first` means: see a physician before booking."""

    text: Any
    screening_rule: str = ""
    physician_first: bool = False


@dataclass(frozen=True)
class Condition:
    slug: str
    name: Any
    summary: Any  # one sentence: the page's description for search engines and the index
    what_it_is: Any
    may_help: tuple[Any, ...]
    cannot_promise: Any
    techniques: tuple[Modality, ...]
    precautions: tuple[Precaution, ...]
    # Kinds of service that suit it, best first (for "Book" and the service links).
    suited: tuple[Modality, ...]
    reviewed_on: date = REVIEWED
