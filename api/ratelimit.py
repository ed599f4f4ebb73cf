"""Per-key rate limiting: a token bucket per API key, kept in memory.

Each key may make ``rate_per_minute`` requests per minute on average, with bursts up to the same number.
An empty bucket answers 429 with ``Retry-After`` (whole seconds until one token is back).

The buckets live in the process: with several ``uvicorn`` workers or several servers each one counts on
its own, so the effective limit is multiplied by the number of processes. Put a shared limiter (the
reverse proxy, or Redis) in front when that matters.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from pantau.errors import RateLimited

#: buckets not seen for this long are dropped (bounds memory with many keys)
IDLE_S = 3600.0


class RateLimiter:
    """Token buckets keyed by API key id."""

    def __init__(self, rate_per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        if rate_per_minute < 1:
            raise ValueError("rate_per_minute must be at least 1")
        self.capacity = float(rate_per_minute)
        self.refill_per_s = rate_per_minute / 60.0
        self.clock = clock
        self._buckets: dict[int, tuple[float, float]] = {}  # key id -> (tokens, last refill time)
        self._lock = threading.Lock()
        self._last_sweep = clock()

    def hit(self, key_id: int) -> float:
        """Take one token for ``key_id``; returns the tokens left, or raises :class:`RateLimited`."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key_id, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.refill_per_s)
            if tokens < 1.0:
                self._buckets[key_id] = (tokens, now)
                wait = max(1, math.ceil((1.0 - tokens) / self.refill_per_s))
                raise RateLimited(
                    f"rate limit of {int(self.capacity)} requests per minute reached for this key — "
                    f"retry after {wait} s",
                    retry_after=wait,
                )
            self._buckets[key_id] = (tokens - 1.0, now)
            if now - self._last_sweep > IDLE_S:
                self._sweep(now)
            return tokens - 1.0

    def _sweep(self, now: float) -> None:
        self._last_sweep = now
        for key_id, (_, last) in list(self._buckets.items()):
            if now - last > IDLE_S:
                del self._buckets[key_id]
