"""``pantau serve`` runs a real server on 127.0.0.1 that answers with keys (the ``serve`` service)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import bearer

ROOT = Path(__file__).resolve().parents[2]


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("workers", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_pantau_serve_answers_on_localhost(env: dict[str, Any], workers: int) -> None:
    port = _port()
    environ = dict(os.environ, PANTAU_DATA_DIR=str(env["settings"].data_dir), PANTAU_MODELS__EMBEDDER="none")
    environ.pop("PANTAU_DATABASE_URL", None)
    cmd = [
        sys.executable,
        "-c",
        "from pantau.cli import main; main()",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    proc = subprocess.Popen(cmd, env=environ, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "server exited"
            try:
                if httpx.get(f"{base}/v1/ready", timeout=2).json()["status"] == "ready":
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server not ready in 60 s"
            time.sleep(0.2)
        resp = httpx.get(
            f"{base}/v1/posts/search", params={"q": "hoaks"}, headers=bearer(env["keys"]["journalist"])
        )
        assert resp.status_code == 200 and resp.json()["total"] == 5
        assert httpx.get(f"{base}/v1/posts/search").status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=20)
