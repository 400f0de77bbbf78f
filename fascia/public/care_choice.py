""" "Physiotherapy, massage or both?": five questions and the rules that answer them, as data.

The rules are tried in order and the first that fits gives the advice, with its reason. Red
flags come first and use the intake screening's own rules (`records.screening`), so this page
and the health history never disagree about what needs a physician before treatment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from fascia.practices.modalities import Modality
from fascia.records.screening import NERVE_RED_FLAG, AlertKind, client_red_flags, screen

GOALS = (
    ("relief", _("Ease pain or muscle tension, or relax")),
    ("recover", _("Recover from an injury and get strength or movement back")),
    ("both", _("Both")),
)
INJURIES = (
    ("none", _("No")),
    ("recent", _("Yes, in the last six weeks")),
    ("older", _("Yes, longer ago")),
)
DURATIONS = (
    ("days", _("Less than two weeks")),
    ("weeks", _("Two weeks to three months")),
    ("months", _("More than three months")),
)
# The intake's "today" symptoms that the screening defers on, plus one the intake does not ask.
NEW_NUMBNESS = NERVE_RED_FLAG
RED_FLAGS = tuple(client_red_flags())


class Advice(StrEnum):
    MASSAGE = "massage"
    PHYSIOTHERAPY = "physiotherapy"
    BOTH = "both"
    PHYSICIAN = "physician"

    @property
    def label(self) -> str:
        return str(
            {
                "massage": _("Massage therapy"),
                "physiotherapy": _("Physiotherapy"),
                "both": _("Both: physiotherapy and massage therapy"),
                "physician": _("See a physician first"),
            }[self.value]
        )


@dataclass(frozen=True)
class CareAnswers:
    goal: str
    injury: str
    duration: str
    red_flags: frozenset[str]
    physio_now: bool


def red_flag_reasons(answers: CareAnswers, today: date) -> list[str]:
    """What the intake screening says of these symptoms (its "defer and refer" alerts)."""
    symptoms = sorted(answers.red_flags - {NEW_NUMBNESS})
    reasons = [
        alert.message
        for alert in screen({"symptoms_today": symptoms}, today)
        if alert.kind == AlertKind.DEFER
    ]
    if NEW_NUMBNESS in answers.red_flags:
        reasons.append(
            str(
                _(
                    "New numbness, weakness or loss of bladder or bowel control can mean a "
                    "nerve is pressed on: see a physician today, or go to emergency care."
                )
            )
        )
    return reasons


@dataclass(frozen=True)
class CareRule:
    id: str
    advice: Advice
    applies: Callable[[CareAnswers], bool]
    reason: Any  # a lazily translated sentence


RULES: tuple[CareRule, ...] = (
    CareRule(
        "already_in_physio",
        Advice.BOTH,
        lambda a: a.physio_now,
        _(
            "Keep going with your physiotherapy. Massage works well alongside it: book it a "
            "day or two after a physio session, when it eases the soreness and stiffness the "
            "exercises leave, rather than on the same day."
        ),
    ),
    CareRule(
        "recent_injury_rehab",
        Advice.PHYSIOTHERAPY,
        lambda a: a.injury == "recent" and a.goal != "relief",
        _(
            "A recent injury or surgery is best assessed by a physiotherapist, who can "
            "diagnose it and plan your rehabilitation. Massage can join in once they agree."
        ),
    ),
    CareRule(
        "recent_injury_relief",
        Advice.BOTH,
        lambda a: a.injury == "recent",
        _(
            "Have the recent injury assessed by a physiotherapist; massage can ease the "
            "tension and guarding around it, a day or two after a physio session."
        ),
    ),
    CareRule(
        "long_standing_recovery",
        Advice.BOTH,
        lambda a: a.goal in ("recover", "both") and a.duration == "months",
        _(
            "For a problem of several months, physiotherapy rebuilds strength and movement "
            "while massage relieves the muscle tension that keeps it going."
        ),
    ),
    CareRule(
        "recovery",
        Advice.PHYSIOTHERAPY,
        lambda a: a.goal == "recover",
        _(
            "Getting strength and movement back is what physiotherapy is for: assessment, "
            "exercises and a plan. Massage can help later if tension remains."
        ),
    ),
    CareRule(
        "relief_and_recovery",
        Advice.BOTH,
        lambda a: a.goal == "both",
        _(
            "Physiotherapy for movement and strength, massage for pain and tension: they work "
            "best with massage a day or two after physio."
        ),
    ),
    CareRule(
        "relief",
        Advice.MASSAGE,
        lambda a: True,
        _(
            "Easing pain, tension and stress is what massage therapy does best. Your "
            "therapist will assess you first and suggest a physiotherapist if you need one."
        ),
    ),
)


@dataclass(frozen=True)
class Recommendation:
    advice: Advice
    rule: str
    reasons: list[str]

    @property
    def bookable(self) -> bool:
        return self.advice in (Advice.MASSAGE, Advice.BOTH)


def recommend(answers: CareAnswers, today: date) -> Recommendation:
    """The advice for these answers, with the reasons to show."""
    flags = red_flag_reasons(answers, today)
    if flags:
        return Recommendation(Advice.PHYSICIAN, "red_flag", flags)
    for rule in RULES:
        if rule.applies(answers):
            return Recommendation(rule.advice, rule.id, [str(rule.reason)])
    raise AssertionError("the last rule always applies")  # pragma: no cover


# The kinds of massage that suit each piece of advice, best first, for the "Book" link.
SUITED_MODALITIES = {
    Advice.BOTH: (Modality.REHABILITATION, Modality.SPORTS, Modality.DEEP_TISSUE),
    Advice.MASSAGE: (Modality.SWEDISH, Modality.DEEP_TISSUE, Modality.TRIGGER_POINT),
}
