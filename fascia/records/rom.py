"""Range of motion: normal values (research notes §10: AAOS upper limb, Merck lower limb,
VA spine) and measurements shown against them as a percentage. Values beyond physiological
limits are refused."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

# (joint, movement) -> normal degrees
NORMAL: dict[tuple[str, str], int] = {
    ("shoulder", "flexion"): 180,
    ("shoulder", "extension"): 60,
    ("shoulder", "abduction"): 180,
    ("shoulder", "internal rotation"): 70,
    ("shoulder", "external rotation"): 90,
    ("elbow", "flexion"): 150,
    ("forearm", "pronation"): 80,
    ("forearm", "supination"): 80,
    ("wrist", "flexion"): 80,
    ("wrist", "extension"): 70,
    ("wrist", "radial deviation"): 20,
    ("wrist", "ulnar deviation"): 30,
    ("hip", "flexion"): 125,
    ("hip", "extension"): 15,
    ("hip", "abduction"): 45,
    ("hip", "external rotation"): 45,
    ("hip", "internal rotation"): 45,
    ("knee", "flexion"): 130,
    ("ankle", "plantarflexion"): 50,
    ("ankle", "dorsiflexion"): 20,
    ("foot", "inversion"): 35,
    ("foot", "eversion"): 25,
    ("cervical spine", "flexion"): 45,
    ("cervical spine", "extension"): 45,
    ("cervical spine", "lateral flexion"): 45,
    ("cervical spine", "rotation"): 80,
    ("thoracolumbar spine", "flexion"): 90,
    ("thoracolumbar spine", "extension"): 30,
    ("thoracolumbar spine", "lateral flexion"): 30,
    ("thoracolumbar spine", "rotation"): 30,
}
SIDED = {"shoulder", "elbow", "forearm", "wrist", "hip", "knee", "ankle", "foot"}
# Beyond normal by more than this is not a human joint (or a typo): refused.
HYPERMOBILITY_ALLOWANCE = Decimal("1.5")
FLAG_BELOW_PERCENT = 75


class RangeError(ValueError):
    pass


def check_measurement(joint: str, movement: str, side: str, degrees: Decimal) -> int:
    """The movement's normal value, after refusing what cannot be measured on a person."""
    normal = NORMAL.get((joint, movement))
    if normal is None:
        raise RangeError(
            _("No normal range is known for %(joint)s %(movement)s.")
            % {"joint": joint, "movement": movement}
        )
    if (joint in SIDED) != (side in ("left", "right")):
        raise RangeError(
            _("Say left or right for the %(joint)s.") % {"joint": joint}
            if joint in SIDED
            else _("The spine has no side.")
        )
    if degrees < 0 or degrees > normal * HYPERMOBILITY_ALLOWANCE:
        raise RangeError(
            _(
                "%(degrees)s° of %(joint)s %(movement)s is outside physiological limits "
                "(0–%(limit)s°; normal %(normal)s°)."
            )
            % {
                "degrees": degrees,
                "joint": joint,
                "movement": movement,
                "limit": f"{normal * HYPERMOBILITY_ALLOWANCE:g}",
                "normal": normal,
            }
        )
    return normal


def percent_of_normal(joint: str, movement: str, degrees: Decimal) -> Decimal:
    normal = NORMAL[(joint, movement)]
    return (Decimal(degrees) * 100 / normal).quantize(Decimal("1"), ROUND_HALF_UP)
