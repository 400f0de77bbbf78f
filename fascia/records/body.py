"""The body areas a treatment note, plan or consent names, with the regulator's sensitive-area
rules: upper inner thigh, chest wall and breast need written consent before every session in
which they are treated; the gluteal region needs written consent once per treatment plan and
verbal consent each session."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any

from django.utils.functional import lazy
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy, pgettext
from django_stubs_ext import StrOrPromise


class SensitiveRule(Enum):
    NONE = "none"
    WRITTEN_EVERY_SESSION = "written every session"
    WRITTEN_PER_PLAN_VERBAL_EACH_SESSION = "written per plan, verbal each session"


@dataclass(frozen=True)
class BodyArea:
    code: str
    name: StrOrPromise  # translated when read, through `label`
    sensitive: SensitiveRule = SensitiveRule.NONE

    @property
    def label(self) -> str:
        """The area's name in the active language."""
        return str(self.name)


def _on_side(side: str, area: StrOrPromise) -> str:
    """ "Left shoulder" (« Épaule gauche »): the side and the area in the reader's word order."""
    pattern = (
        pgettext("body side", "Left %(area)s")
        if side == "left"
        else pgettext("body side", "Right %(area)s")
    )
    return capfirst(pattern % {"area": str(area).lower()})


_sided_name = lazy(_on_side, str)


_SIDED = [
    ("shoulder", gettext_lazy("Shoulder")),
    ("upper_arm", gettext_lazy("Upper arm")),
    ("elbow", gettext_lazy("Elbow")),
    ("forearm", gettext_lazy("Forearm")),
    ("wrist_hand", gettext_lazy("Wrist and hand")),
    ("hip", gettext_lazy("Hip")),
    ("thigh_front", gettext_lazy("Front of thigh")),
    ("thigh_back", gettext_lazy("Back of thigh (hamstrings)")),
    ("knee", gettext_lazy("Knee")),
    ("calf", gettext_lazy("Calf")),
    ("shin", gettext_lazy("Shin")),
    ("ankle_foot", gettext_lazy("Ankle and foot")),
    ("jaw", gettext_lazy("Jaw (TMJ)")),
]
_SENSITIVE_SIDED = [
    ("upper_inner_thigh", gettext_lazy("Upper inner thigh"), SensitiveRule.WRITTEN_EVERY_SESSION),
    ("chest_wall", gettext_lazy("Chest wall"), SensitiveRule.WRITTEN_EVERY_SESSION),
    ("breast", gettext_lazy("Breast"), SensitiveRule.WRITTEN_EVERY_SESSION),
    ("gluteal", gettext_lazy("Gluteal region"), SensitiveRule.WRITTEN_PER_PLAN_VERBAL_EACH_SESSION),
]
_MIDLINE = [
    ("head", gettext_lazy("Head and scalp")),
    ("face", gettext_lazy("Face")),
    ("neck_front", gettext_lazy("Front of neck")),
    ("neck_back", gettext_lazy("Back of neck")),
    ("upper_back", gettext_lazy("Upper back")),
    ("mid_back", gettext_lazy("Mid back")),
    ("low_back", gettext_lazy("Low back")),
    ("abdomen", gettext_lazy("Abdomen")),
    ("sacrum", gettext_lazy("Sacrum")),
]

AREAS: dict[str, BodyArea] = {}
for _code, _label in _MIDLINE:
    AREAS[_code] = BodyArea(_code, _label)
for _code, _label in _SIDED:
    for _side in ("left", "right"):
        AREAS[f"{_code}_{_side}"] = BodyArea(f"{_code}_{_side}", _sided_name(_side, _label))
for _code, _label, _rule in _SENSITIVE_SIDED:
    for _side in ("left", "right"):
        AREAS[f"{_code}_{_side}"] = BodyArea(f"{_code}_{_side}", _sided_name(_side, _label), _rule)

AREA_CHOICES = [(area.code, area.name) for area in AREAS.values()]


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
MARK_KIND_LABELS: dict[str, StrOrPromise] = {
    MarkKind.PAIN.value: gettext_lazy("pain"),
    MarkKind.TENSION.value: gettext_lazy("tension"),
    MarkKind.TRIGGER_POINT.value: gettext_lazy("trigger point"),
    MarkKind.NUMBNESS.value: gettext_lazy("numbness"),
    MarkKind.TINGLING.value: gettext_lazy("tingling"),
    MarkKind.SWELLING.value: gettext_lazy("swelling"),
    MarkKind.SCAR.value: gettext_lazy("scar"),
    MarkKind.BRUISE.value: gettext_lazy("bruise"),
}


# The areas grouped as a therapist looks over the body, for pickers (consent, plan, note).
_GROUPS: list[tuple[Any, list[str]]] = [
    (gettext_lazy("Head and neck"), ["head", "face", "jaw", "neck_front", "neck_back"]),
    (gettext_lazy("Back"), ["upper_back", "mid_back", "low_back", "sacrum"]),
    (
        gettext_lazy("Shoulders and arms"),
        ["shoulder", "upper_arm", "elbow", "forearm", "wrist_hand"],
    ),
    (gettext_lazy("Front of the trunk"), ["abdomen"]),
    (
        gettext_lazy("Hips and legs"),
        ["hip", "thigh_front", "thigh_back", "knee", "calf", "shin", "ankle_foot"],
    ),
    (
        gettext_lazy("Sensitive areas (written consent)"),
        ["upper_inner_thigh", "chest_wall", "breast", "gluteal"],
    ),
]


def _codes(base: str) -> list[str]:
    return [base] if base in AREAS else [f"{base}_left", f"{base}_right"]


AREA_GROUPS: list[tuple[Any, list[str]]] = [
    (label, [code for base in bases for code in _codes(base)]) for label, bases in _GROUPS
]
GROUP_OF = {code: label for label, codes in AREA_GROUPS for code in codes}
assert set(GROUP_OF) == set(AREAS), "every body area is in one group"


# Each mark kind's symbol on the chart: a shape as well as a colour, so the kinds are told apart
# without colour (and in print). Drawn on a 12 x 12 grid centred on the mark.
MARK_SYMBOLS = {
    "pain": '<circle cx="0" cy="0" r="5.5"/>',
    "tension": '<rect x="-5" y="-5" width="10" height="10"/>',
    "trigger_point": '<path d="M0-6 L1.8-1.8 6 0 1.8 1.8 0 6-1.8 1.8-6 0-1.8-1.8Z"/>',
    "numbness": '<circle cx="0" cy="0" r="4.5" class="hollow"/>',
    "tingling": '<path d="M0-6 6 0 0 6-6 0Z"/>',
    "swelling": '<circle cx="0" cy="0" r="7" class="halo"/>',
    "scar": '<path d="M-6-2 6 2 M-6 2 6-2" class="stroke"/>',
    "bruise": '<path d="M0-6 6 5-6 5Z"/>',
}
assert set(MARK_SYMBOLS) == set(MARK_KINDS)


def mark_symbols_svg() -> SafeString:
    """`<symbol>`s for every mark kind, for a chart's `<defs>` (marks `<use href="#mark-…">`)."""
    return mark_safe(  # noqa: S308 - our own constant markup
        "".join(
            f'<symbol id="mark-symbol-{kind}" viewBox="-8 -8 16 16" overflow="visible">'
            f'<g class="mark-shape mark-{kind}">{shape}</g></symbol>'
            for kind, shape in MARK_SYMBOLS.items()
        )
    )


# The body chart's regions: (area code without side, views, x, y, width, height) for the
# figure's viewer-left half on a 200 x 440 figure; sided areas are mirrored. In the front view
# the client's right side is on the viewer's left; in the back view, their left.
_CHART = [
    ("head", ("front", "back"), 78, 4, 44, 50, False),
    ("neck_front", ("front",), 88, 56, 24, 16, False),
    ("neck_back", ("back",), 88, 56, 24, 16, False),
    ("shoulder", ("front", "back"), 50, 72, 28, 22, True),
    ("chest_wall", ("front",), 78, 74, 22, 34, True),
    ("breast", ("front",), 80, 108, 20, 18, True),
    ("abdomen", ("front",), 78, 128, 44, 52, False),
    ("upper_back", ("back",), 78, 74, 44, 40, False),
    ("mid_back", ("back",), 78, 114, 44, 34, False),
    ("low_back", ("back",), 78, 148, 44, 32, False),
    ("upper_arm", ("front", "back"), 44, 96, 24, 56, True),
    ("elbow", ("front", "back"), 40, 152, 22, 14, True),
    ("forearm", ("front", "back"), 34, 166, 22, 50, True),
    ("wrist_hand", ("front", "back"), 26, 216, 24, 36, True),
    ("hip", ("front",), 70, 180, 28, 24, True),
    ("gluteal", ("back",), 70, 180, 30, 40, True),
    ("thigh_front", ("front",), 70, 204, 20, 76, True),
    ("upper_inner_thigh", ("front",), 90, 204, 10, 40, True),
    ("thigh_back", ("back",), 70, 220, 30, 60, True),
    ("knee", ("front",), 72, 280, 26, 22, True),
    ("shin", ("front",), 74, 302, 22, 90, True),
    ("calf", ("back",), 72, 282, 26, 110, True),
    ("ankle_foot", ("front", "back"), 72, 392, 26, 40, True),
]


@lru_cache(maxsize=2)
def regions_svg(view: str) -> SafeString:
    """The view's clickable regions as SVG markup: the same for every note, so drawn once."""
    return format_html_join(
        "",
        '<rect class="region" data-area="{}" x="{}" y="{}" width="{}" height="{}" rx="6">'
        "<title>{}</title></rect>",
        (
            (r["code"], r["x"], r["y"], r["width"], r["height"], r["label"])
            for r in chart_regions(view)
        ),
    )


def chart_regions(view: str) -> list[dict[str, object]]:
    """Clickable rectangles for one view of the body chart."""
    regions: list[dict[str, object]] = []
    for code, views, x, y, width, height, sided in _CHART:
        if view not in views:
            continue
        if not sided:
            regions.append({"code": code, "x": x, "y": y, "width": width, "height": height})
            continue
        viewer_left = "right" if view == "front" else "left"
        viewer_right = "left" if view == "front" else "right"
        regions.append(
            {"code": f"{code}_{viewer_left}", "x": x, "y": y, "width": width, "height": height}
        )
        regions.append(
            {
                "code": f"{code}_{viewer_right}",
                "x": 200 - x - width,
                "y": y,
                "width": width,
                "height": height,
            }
        )
    for region in regions:
        region["label"] = AREAS[str(region["code"])].label
    return regions
