"""Text-message backends. The default writes messages to the log; a provider integration
(Twilio, a Canadian SMS gateway) is a class with the same `send` method named in SMS_BACKEND."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("fascia.sms")


class SmsBackend(Protocol):
    def send(self, to: str, body: str) -> None: ...


class ConsoleSmsBackend:
    """Development default: the message is written to the log instead of sent."""

    def send(self, to: str, body: str) -> None:
        logger.info("SMS to %s: %s", to, body)


class MemorySmsBackend:
    """For tests: keeps what was sent in `MemorySmsBackend.outbox`."""

    outbox: list[tuple[str, str]] = []

    def send(self, to: str, body: str) -> None:
        MemorySmsBackend.outbox.append((to, body))


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend
