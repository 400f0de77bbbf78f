"""The background worker: runs each job in FASCIA_WORKER_JOBS every few seconds. Every job is
safe to run in several workers at once (each claims its work with a compare-and-swap), and picks
up where it left off after a restart because its state is in the database."""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger("fascia.worker")


def worker_jobs() -> list[tuple[str, Callable[[], Any]]]:
    return [(path, import_string(path)) for path in settings.FASCIA_WORKER_JOBS]


def run_jobs_once() -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name, job in worker_jobs():
        try:
            results[name] = job()
        except Exception:
            logger.exception("Worker job %s failed; it runs again next round.", name)
            results[name] = None
    return results


class Worker:
    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.stopping = False

    def stop(self, *args: Any) -> None:
        self.stopping = True

    def run(self, rounds: int | None = None) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        done = 0
        while not self.stopping and (rounds is None or done < rounds):
            results = run_jobs_once()
            busy = {name: result for name, result in results.items() if result}
            if busy:
                logger.info("Worker round: %s", busy)
            done += 1
            if rounds is None or done < rounds:
                # Between rounds, drop connections the database closed or that grew too old.
                close_old_connections()
            deadline = time.monotonic() + self.interval
            while (
                not self.stopping
                and time.monotonic() < deadline
                and (rounds is None or done < rounds)
            ):
                time.sleep(min(0.2, self.interval))
