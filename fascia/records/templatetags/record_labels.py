"""The clinic's words for the codes a record stores: body areas, techniques, pressure, marks."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

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
def mark_label(kind: str) -> str:
    """ "trigger_point" -> "trigger point"."""
    return body.MARK_KIND_LABELS.get(kind, kind)


@register.filter
def area_label(code: str) -> str:
    return body.AREAS[code].label if code in body.AREAS else code
