"""The staff pages' main navigation: the same links on every staff page for a given language and
role, so each server process draws them once for each and not on every request (about twenty
addresses reversed and labels translated, a fifth of drawing a page's frame)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

_drawn: dict[tuple[str | None, str | None, bool, str], SafeString] = {}


@register.simple_tag(takes_context=True)
def staff_navigation(context: template.Context) -> SafeString:
    """The links a staff member with the page's role sees, in the page's language."""
    role: str | None = context.get("staff_role")
    user: Any = context.get("user")
    is_platform_staff = bool(getattr(user, "is_staff", False))
    key = (get_language(), role, is_platform_staff, get_script_prefix())
    drawn = _drawn.get(key)
    if drawn is None:
        drawn = _drawn[key] = SafeString(
            render_to_string(
                "staff/_navigation.html",
                {"staff_role": role, "is_platform_staff": is_platform_staff},
            )
        )
    return drawn
