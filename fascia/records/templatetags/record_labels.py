"""The clinic's words for the codes a record stores: body areas, techniques, pressure, marks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.forms import BoundField
from django.forms.boundfield import BoundWidget
from django.utils.safestring import SafeString

from fascia.practices.modalities import modality_labels
from fascia.records import body

register = template.Library()


@register.filter
def area_labels(codes: Iterable[str] | None) -> str:
    """["neck_back", "shoulder_left"] -> "Back of neck, Left shoulder"."""
    return ", ".join(area_label(code) for code in codes or [])


@register.filter
def technique_labels(codes: Iterable[str] | None) -> str:
    return ", ".join(modality_labels(list(codes or [])))


@register.filter
def pressure_label(code: str) -> str:
    """A plan's pressure in the reader's words ("moderate"); an unknown value as it is."""
    from fascia.records.models import Pressure

    return str(Pressure(code).label).lower() if code in Pressure.values else code


@register.filter
def mark_label(kind: str) -> str:
    """ "trigger_point" -> "trigger point"."""
    return str(body.MARK_KIND_LABELS.get(kind, kind))


@register.filter
def area_label(code: str) -> str:
    return body.AREAS[code].label if code in body.AREAS else code


@register.filter
def area_groups(field: BoundField) -> list[tuple[Any, list[BoundWidget]]]:
    """A body-area field's checkboxes in the body's groups (head and neck, back, ...)."""
    groups: dict[Any, list[BoundWidget]] = {label: [] for label, _codes in body.AREA_GROUPS}
    for box in field.subwidgets:
        groups[body.GROUP_OF[str(box.data["value"])]].append(box)
    return [(label, boxes) for label, boxes in groups.items() if boxes]


@register.filter
def choice_groups(
    field: BoundField, groups: tuple[tuple[Any, tuple[str, ...]], ...]
) -> list[tuple[Any, list[BoundWidget]]]:
    """A multiple-choice question's checkboxes in its groups (conditions by body system)."""
    by_value = {str(box.data["value"]): box for box in field.subwidgets}
    return [
        (label, [by_value[value] for value in values if value in by_value])
        for label, values in groups
    ]


@register.simple_tag
def mark_symbols() -> SafeString:
    return body.mark_symbols_svg()
