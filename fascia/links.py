"""Links that carry a secret (a health-history form, a waitlist offer), and how they travel.

The database never holds a live link: a queued message keeps a *marker* (`link_marker`) where
the link goes, and the outbox fills it in as it hands the message to the email or SMS
provider (`fill_links`, through the renderer `settings.FASCIA_LINKS` names for its kind), as
attachments are drawn up when sent. The token a link carries is kept only as its SHA-256
digest, so neither a copy of the database nor the admin's message pages can be used to open
one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

MARKER = re.compile(r"\[\[link:([a-z-]+):(\d+)\]\]")


def digest_of(token: str) -> str:
    """What is stored of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_token(purpose: str) -> str:
    """A 32-byte token derived from the deployment's secret key and `purpose` (e.g. an offer's
    identity): the same every time it is asked for, so the email and the text message of one
    offer carry one link, yet nobody without the secret key can work it out from the
    database."""
    mac = hmac.new(settings.SECRET_KEY.encode(), purpose.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def link_marker(kind: str, identifier: int) -> str:
    """Where a message's link goes, until it is sent."""
    return f"[[link:{kind}:{identifier}]]"


def fill_links(text: str) -> str:
    """`text` with each marker replaced by its link, made now."""

    def link(found: re.Match[str]) -> str:
        kind, identifier = found.group(1), int(found.group(2))
        path = settings.FASCIA_LINKS.get(kind)
        if path is None:
            raise ValueError(f"No renderer for the link {found.group(0)!r}.")
        render: Callable[[int], str] = import_string(path)
        return render(identifier)

    return MARKER.sub(link, text)


def absolute(path: str) -> str:
    """An address on this deployment, for messages (settings.FASCIA_BASE_URL)."""
    return getattr(settings, "FASCIA_BASE_URL", "").rstrip("/") + path


def unique_placeholder() -> str:
    """A stand-in for a unique token digest while the row that the real token is made from
    has no id yet (random, so two stand-ins never collide)."""
    return digest_of(secrets.token_hex(32))


def record_token(purpose: str, record_id: int) -> str:
    """The keyed token of one row's link (`purpose:id`): what the email carries."""
    return keyed_token(f"{purpose}:{record_id}")


def seal_with_keyed_token(record: Any, purpose: str) -> None:
    """Store on a just-saved `record` the digest of its keyed token (`record_token`)."""
    record.token_digest = digest_of(record_token(purpose, record.pk))
    record.save(update_fields=["token_digest"])
