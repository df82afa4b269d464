"""Where cached page bodies live: an LRU in each worker's memory, optionally in front of Redis.

Only body bytes are stored, never headers (so never a Set-Cookie). Entries are found by a digest
of the page's key; a key holds the versions of what the page shows, so an entry is never stale,
only unused once a version moves. Memory is the only bound: the LRU drops the least recently
used bodies past PAGE_CACHE_BYTES, and Redis entries carry an expiry (PAGE_CACHE_REDIS_SECONDS)
only so that keys nobody can ask for any more go away; it never decides freshness.

Redis is a help, not a dependency: any error (down, slow, refused) is logged once, Redis is left
alone for a few seconds, and the page is served from memory or rendered.
"""
import logging
import threading
import time
from collections import OrderedDict

log = logging.getLogger(__name__)

REDIS_RETRY_SECONDS = 5.0


class MemoryPages:
    """A byte-bounded LRU of page bodies, safe across a worker's threads."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._pages: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, digest: str) -> bytes | None:
        with self._lock:
            body = self._pages.get(digest)
            if body is not None:
                self._pages.move_to_end(digest)
            return body

    def put(self, digest: str, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            old = self._pages.pop(digest, None)
            if old is not None:
                self.bytes -= len(old)
            self._pages[digest] = body
            self.bytes += len(body)
            while self.bytes > self.max_bytes:
                _, dropped = self._pages.popitem(last=False)
                self.bytes -= len(dropped)

    def __len__(self):
        return len(self._pages)


class SharedPages:
    """Page bodies in Redis, shared by every app server; silent when Redis is not there."""

    def __init__(self, url: str, prefix: str, expiry_seconds: int, timeout: float = 0.2):
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        self._errors = (redis.RedisError, OSError)
        self.prefix = prefix
        self.expiry_seconds = expiry_seconds
        self._resting_until = 0.0

    def _usable(self) -> bool:
        return time.monotonic() >= self._resting_until

    def _failed(self, error) -> None:
        if self._usable():
            log.warning("page cache: Redis unavailable (%s); rendering pages for %ss", error, REDIS_RETRY_SECONDS)
        self._resting_until = time.monotonic() + REDIS_RETRY_SECONDS

    def get(self, digest: str) -> bytes | None:
        if not self._usable():
            return None
        try:
            return self._redis.get(self.prefix + digest)
        except self._errors as error:
            self._failed(error)
            return None

    def put(self, digest: str, body: bytes) -> None:
        if not self._usable():
            return
        try:
            self._redis.set(self.prefix + digest, body, ex=self.expiry_seconds or None)
        except self._errors as error:
            self._failed(error)


class PageStore:
    """Memory first, then Redis (a body found there is kept in memory too)."""

    def __init__(self, memory: MemoryPages, shared: SharedPages | None = None):
        self.memory = memory
        self.shared = shared

    def get(self, digest: str) -> bytes | None:
        body = self.memory.get(digest)
        if body is None and self.shared is not None:
            body = self.shared.get(digest)
            if body is not None:
                self.memory.put(digest, body)
        return body

    def put(self, digest: str, body: bytes) -> None:
        self.memory.put(digest, body)
        if self.shared is not None:
            self.shared.put(digest, body)
