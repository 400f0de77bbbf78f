"""Every named address leads to its own view: no pattern is shadowed by one tried before it (the
order of `fascia/urls.py` is chosen for speed, so it must not change what an address means)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

SAMPLES = {"int": 7, "slug": "maple-massage", "str": "word", "path": "a/b.txt"}


def named_patterns(
    resolver: URLResolver, namespace: str = ""
) -> Iterator[tuple[str, URLPattern, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry, str(entry.pattern)


def sample_arguments(route: str) -> dict[str, object]:
    found: dict[str, object] = {}
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", route):
        found[name] = str(uuid.UUID(int=7)) if converter == "uuid" else SAMPLES[converter or "str"]
    return found


def test_every_named_address_resolves_to_its_own_view() -> None:
    checked = 0
    for name, pattern, route in named_patterns(get_resolver()):
        if name.startswith(("admin:", "api:")) or "(?P" in route or "^" in route:
            # Django's admin; the API's operations (one address, a view for each method); and
            # regular expressions, with no sample to give.
            continue
        address = reverse(name, kwargs=sample_arguments(route))
        match = resolve(address)
        assert match.func == pattern.callback, f"{address} ({name}) went to {match.view_name}"
        checked += 1
    assert checked > 150
