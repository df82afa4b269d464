"""How many processes will serve the app, and what that means for counting limits.

Shared by the gunicorn config (which starts that many workers) and the production settings check
(which refuses limits counted per process when there is more than one), so both read one rule.
"""
import multiprocessing
import os

PER_PROCESS_LIMITS = (
    "RATELIMIT_STORAGE_URI is memory:// with {workers} web workers: each worker counts sign-in and guessing "
    "limits on its own, so an attacker gets {workers} times the limit. Set RATELIMIT_STORAGE_URI=redis://host:6379/0 "
    "(shared by every worker and server), or WEB_CONCURRENCY=1."
)


def worker_count(environ=os.environ) -> int:
    """WEB_CONCURRENCY, or gunicorn's advice of 2 x CPUs + 1 when it is unset."""
    raw = environ.get("WEB_CONCURRENCY")
    return int(raw) if raw not in (None, "") else multiprocessing.cpu_count() * 2 + 1


def per_process_limits(storage_uri: str, workers: int) -> str | None:
    """Why limits would not hold across these workers, or None when they would."""
    if storage_uri.startswith("memory://") and workers > 1:
        return PER_PROCESS_LIMITS.format(workers=workers)
    return None
