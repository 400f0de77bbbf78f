"""Parts of the page frame drawn once per server process for what they show.

Every page draws the same frame around its content: the brand, the staff navigation (about
twenty addresses reversed and labels translated), who is signed in with the forms to switch
practice and sign out, the footer. Drawing it took about a third of opening a remembered chart,
yet for one person in one language it is the same on every page. So a part of the frame is
written in the template as

    {% remembered_part "session" user.pk user.get_full_name staff_role %}…{% endremembered_part %}

and drawn once for each combination of the values named after its name (with the page's
language, the site's address prefix and autoescaping, always), like Django's `{% cache %}` tag
but kept in this process's memory only. Every value the part shows must be among the values it
is named with: that is the whole rule, and `test_page_parts.py` checks the frame against a
fresh drawing.

A part may contain `{% csrf_token %}`: it is drawn with a placeholder that each request's own
token replaces, so no request ever gets another's token.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.urls import get_script_prefix
from django.utils.translation import get_language

from fascia.remembered_html import CSRF_PLACEHOLDER, csrf_token_of, with_csrf_token

register = template.Library()

KEPT_PARTS = 2048
NO_TOKEN = "NOTPROVIDED"  # what Django's CSRF context holds when the request has no token  # noqa: S105

_drawn: dict[tuple[Hashable, ...], str] = {}


def forget_remembered_parts() -> None:
    """Forget this process's drawn parts (tests: a changed template or translation)."""
    _drawn.clear()


class RememberedPartNode(template.Node):
    # A part holds no `{% block %}`: `{% extends %}` need not look inside it on every drawing.
    child_nodelists = ()

    def __init__(self, name: str, vary_on: list[FilterExpression], nodelist: NodeList) -> None:
        self.name = name
        self.vary_on = vary_on
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        key = (
            self.name,
            get_language(),
            get_script_prefix(),
            context.autoescape,
            *(_hashable(value.resolve(context)) for value in self.vary_on),
        )
        drawn = _drawn.get(key)
        if drawn is None:
            with context.push(csrf_token=CSRF_PLACEHOLDER):
                drawn = self.nodelist.render(context)
            if len(_drawn) >= KEPT_PARTS:
                _drawn.clear()
            _drawn[key] = drawn
        if CSRF_PLACEHOLDER not in drawn:
            return drawn
        request = context.get("request")
        token = csrf_token_of(request) if request else context.get("csrf_token")
        if not token or token == NO_TOKEN:  # as `{% csrf_token %}`: no token, no form field
            return self.nodelist.render(context)
        return with_csrf_token(drawn, token)


def _hashable(value: Any) -> Hashable:
    if isinstance(value, list | tuple):
        return tuple(_hashable(each) for each in value)
    if isinstance(value, Hashable) and not hasattr(value, "_meta"):
        return value
    # A model instance compares by its primary key only: name what the part shows instead.
    raise template.TemplateSyntaxError(
        f"remembered_part varies on {value!r}, which does not say what it shows"
    )


@register.tag
def remembered_part(parser: Parser, token: Token) -> RememberedPartNode:
    """`{% remembered_part "name" value… %}…{% endremembered_part %}`"""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            "remembered_part needs a quoted name, then the values it shows"
        )
    nodelist = parser.parse(("endremembered_part",))
    parser.delete_first_token()
    return RememberedPartNode(
        bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist
    )
