"""A crawl killed with SIGKILL and restarted loses nothing and duplicates nothing."""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import Any

from sqlalchemy import func, select

from crawlers.service import PID_FILE
from pantau.store.tables import PostRow

SLOW = {"id": "lambat", "kind": "feed", "platform": "news", "url": "{base_url}/slow/feed.xml"}


def count(env: Any) -> int:
    with env.store.session() as s:
        return int(s.scalar(select(func.count()).select_from(PostRow)) or 0)


def test_kill_mid_crawl_then_resume(env: Any, site: Any) -> None:
    env.settings.crawl.concurrency_per_domain = 4
    reports: list[dict[str, Any]] = []
    worker = threading.Thread(target=lambda: reports.append(env.crawl(SLOW)))
    worker.start()
    pid_file = env.settings.data_dir / PID_FILE
    deadline = time.monotonic() + 60
    while count(env) < 10 and time.monotonic() < deadline:
        time.sleep(0.05)
    killed_at = count(env)
    assert 10 <= killed_at < site.slow_pages, "the crawl should be part-way through"
    os.kill(int(pid_file.read_text()), signal.SIGKILL)
    worker.join(timeout=30)
    (first,) = reports
    assert first["lambat"]["status"] == "error" and "signal 9" in first["lambat"]["message"]
    assert not pid_file.exists()
    stored_before_restart = count(env)
    assert stored_before_restart < site.slow_pages

    second = env.crawl(SLOW)["lambat"]
    assert second["status"] == "ok"
    assert second["stored"] == site.slow_pages - stored_before_restart  # only what was missing
    with env.store.session() as s:
        urls = list(s.scalars(select(PostRow.url)))
    assert len(urls) == len(set(urls)) == site.slow_pages  # zero lost, zero duplicated
    assert env.run_stats("lambat")["skipped/known"] == stored_before_restart
