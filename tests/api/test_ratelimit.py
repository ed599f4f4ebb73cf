"""Per-key token buckets: 429 with Retry-After, other keys unaffected, tokens come back."""

from __future__ import annotations

from pathlib import Path

import pytest

from api import auth
from api.ratelimit import RateLimiter
from pantau.errors import RateLimited
from pantau.store import Store

from .conftest import app_client, assert_error, bearer, make_settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_refills_over_time() -> None:
    clock = Clock()
    limiter = RateLimiter(60, clock=clock)  # one token a second, bursts of 60
    for _ in range(60):
        limiter.hit(1)
    with pytest.raises(RateLimited) as exc:
        limiter.hit(1)
    assert exc.value.retry_after == 1
    limiter.hit(2)  # another key has its own bucket
    clock.now += 1.0
    limiter.hit(1)
    with pytest.raises(RateLimited):
        limiter.hit(1)


def test_retry_after_is_whole_seconds_until_a_token() -> None:
    clock = Clock()
    limiter = RateLimiter(6, clock=clock)  # a token every 10 s
    for _ in range(6):
        limiter.hit(7)
    clock.now += 2.5
    with pytest.raises(RateLimited) as exc:
        limiter.hit(7)
    assert exc.value.retry_after == 8


def test_api_answers_429_with_retry_after(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", rate_limit_per_minute=3)
    store = Store.open(settings)
    try:
        one = auth.add_user(store, "one", "journalist").key
        two = auth.add_user(store, "two", "journalist").key
    finally:
        store.close()
    with app_client(settings) as c:
        for _ in range(3):
            assert c.get("/v1/me", headers=bearer(one)).status_code == 200
        resp = c.get("/v1/me", headers=bearer(one))
        err = assert_error(resp, 429, "rate_limited")
        assert int(resp.headers["Retry-After"]) >= 1 and "3 requests per minute" in err["message"]
        assert c.get("/v1/me", headers=bearer(two)).status_code == 200
        assert c.get("/v1/health").status_code == 200  # no key, no bucket
