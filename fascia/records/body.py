"""The body areas a treatment note, plan or consent names, with the regulator's sensitive-area
rules: upper inner thigh, chest wall and breast need written consent before every session in
which they are treated; the gluteal region needs written consent once per treatment plan and
verbal consent each session."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class SensitiveRule(Enum):
    NONE = "none"
    WRITTEN_EVERY_SESSION = "written every session"
    WRITTEN_PER_PLAN_VERBAL_EACH_SESSION = "written per plan, verbal each session"


@dataclass(frozen=True)
class BodyArea:
    code: str
    label: str
    sensitive: SensitiveRule = SensitiveRule.NONE


_SIDED = [
    ("shoulder", "Shoulder"),
    ("upper_arm", "Upper arm"),
    ("elbow", "Elbow"),
    ("forearm", "Forearm"),
    ("wrist_hand", "Wrist and hand"),
    ("hip", "Hip"),
    ("thigh_front", "Front of thigh"),
    ("thigh_back", "Back of thigh (hamstrings)"),
    ("knee", "Knee"),
    ("calf", "Calf"),
    ("shin", "Shin"),
    ("ankle_foot", "Ankle and foot"),
    ("jaw", "Jaw (TMJ)"),
]
_SENSITIVE_SIDED = [
    ("upper_inner_thigh", "Upper inner thigh", SensitiveRule.WRITTEN_EVERY_SESSION),
    ("chest_wall", "Chest wall", SensitiveRule.WRITTEN_EVERY_SESSION),
    ("breast", "Breast", SensitiveRule.WRITTEN_EVERY_SESSION),
    ("gluteal", "Gluteal region", SensitiveRule.WRITTEN_PER_PLAN_VERBAL_EACH_SESSION),
]
_MIDLINE = [
    ("head", "Head and scalp"),
    ("face", "Face"),
    ("neck_front", "Front of neck"),
    ("neck_back", "Back of neck"),
    ("upper_back", "Upper back"),
    ("mid_back", "Mid back"),
    ("low_back", "Low back"),
    ("abdomen", "Abdomen"),
    ("sacrum", "Sacrum"),
]

AREAS: dict[str, BodyArea] = {}
for _code, _label in _MIDLINE:
    AREAS[_code] = BodyArea(_code, _label)
for _code, _label in _SIDED:
    for _side, _word in (("left", "Left"), ("right", "Right")):
        AREAS[f"{_code}_{_side}"] = BodyArea(f"{_code}_{_side}", f"{_word} {_label.lower()}")
for _code, _label, _rule in _SENSITIVE_SIDED:
    for _side, _word in (("left", "Left"), ("right", "Right")):
        AREAS[f"{_code}_{_side}"] = BodyArea(f"{_code}_{_side}", f"{_word} {_label.lower()}", _rule)

AREA_CHOICES = [(area.code, area.label) for area in AREAS.values()]


def unknown_areas(codes: list[str]) -> list[str]:
    return [code for code in codes if code not in AREAS]


def sensitive_areas(codes: list[str], rule: SensitiveRule | None = None) -> list[BodyArea]:
    found = [AREAS[code] for code in codes if code in AREAS]
    return [
        area
        for area in found
        if area.sensitive is not SensitiveRule.NONE and (rule is None or area.sensitive is rule)
    ]


class MarkKind(Enum):
    """What the therapist marks on the body chart."""

    PAIN = "pain"
    TENSION = "tension"
    TRIGGER_POINT = "trigger_point"
    NUMBNESS = "numbness"
    TINGLING = "tingling"
    SWELLING = "swelling"
    SCAR = "scar"
    BRUISE = "bruise"


MARK_KINDS = [kind.value for kind in MarkKind]
