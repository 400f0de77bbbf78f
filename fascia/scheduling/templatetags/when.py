"""`{% load when %}`: `{{ moment|visit_day }}`, `|short_day`, `|full_date`, `|visit_time` and
`|visit_when`, in the reader's language (`scheduling/wording.py`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django import template
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]

from fascia.scheduling import wording

register = template.Library()


def _shown_in_page_zone(write: Callable[[Any], str]) -> Callable[[Any], str]:
    """The filter for `write`: a date or datetime shown in the page's zone, or one written as
    ISO-8601 text (as documents store them, in the practice's zone) as it is; nothing for
    nothing."""

    def written(moment: Any) -> str:
        if moment is None or moment == "":
            return ""
        if isinstance(moment, str):  # stored in the practice's zone already: kept in it
            try:
                return write((datetime if "T" in moment else date).fromisoformat(moment))
            except ValueError:
                return moment
        return write(template_localtime(moment) if isinstance(moment, datetime) else moment)

    return written


register.filter("visit_day", _shown_in_page_zone(wording.day_text))
register.filter("short_day", _shown_in_page_zone(wording.short_day_text))
register.filter("full_date", _shown_in_page_zone(wording.full_date_text))
register.filter("visit_time", _shown_in_page_zone(wording.time_text))
register.filter("visit_when", _shown_in_page_zone(wording.when_text_of))
