"""A small threaded HTTP server for a folder of saved pages, bound to 127.0.0.1 (port 0 by default).

Routing (the demo-site contract, also used by the tests and the benchmark):

- a path maps to the file at that path under the root; ``/`` and paths ending in ``/`` serve the
  folder's ``index.html``, or its ``index.xml`` when there is no ``index.html``;
- a query string ``?a=1&b=2`` serves the file ``<path>__a=1__b=2``;
- Content-Type comes from the extension before any ``__``; a missing file is a 404;
- in text responses the placeholder host (``http://demo.pantau.local``) is replaced by the real base URL,
  except for clients that asked for the placeholder host itself (``Host: demo.pantau.local``, as the
  crawler does through :class:`crawlers.middlewares.ResolveMiddleware`): they get the pages as written.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

PLACEHOLDER = "http://demo.pantau.local"
PLACEHOLDER_HOST = "demo.pantau.local"

CONTENT_TYPES = {
    ".xml": "application/xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    "": "text/html; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".jsonl": "application/x-ndjson; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


def resolve(root: Path, raw_path: str) -> Path | None:
    """The file under ``root`` that a request path (with its query) maps to, or None."""
    parts = urlsplit(raw_path)
    path = unquote(parts.path)
    if path.endswith("/"):
        folder = path.strip("/")
        candidates = (
            [f"{folder}/index.html", f"{folder}/index.xml"] if folder else ["index.html", "index.xml"]
        )
    else:
        candidates = [path.strip("/")]
    if parts.query:
        suffix = "".join(f"__{pair}" for pair in unquote(parts.query).split("&") if pair)
        candidates = [c + suffix for c in candidates] if not path.endswith("/") else candidates
    base = root.resolve()
    for name in candidates:
        target = (base / name).resolve()
        if target != base and base not in target.parents:  # no escaping the root with ../
            return None
        if target.is_file():
            return target
    return None


def content_type(path: Path) -> str:
    name = path.name.split("__", 1)[0]
    suffix = Path(name).suffix.lower()
    return CONTENT_TYPES.get(suffix, "application/octet-stream")


class SiteHandler(BaseHTTPRequestHandler):
    """Serves files under ``server.root``; subclasses may add routes in :meth:`special`."""

    server: SiteServer
    protocol_version = "HTTP/1.1"
    text_types: ClassVar[tuple[str, ...]] = (
        "text/",
        "application/xml",
        "application/x-ndjson",
        "application/json",
    )

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests and the demo need no access log
        return

    def special(self) -> bool:
        """Handle the request here and return True to bypass the file lookup."""
        return False

    def send_body(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.hits += 1
        if self.special():
            return
        target = resolve(self.server.root, self.path)
        if target is None:
            self.send_body(404, b"not found\n", "text/plain; charset=utf-8")
            return
        ctype = content_type(target)
        body = target.read_bytes()
        asked_for = (self.headers.get("Host") or "").lower()
        if ctype.startswith(self.text_types) and self.server.rewrite and asked_for != PLACEHOLDER_HOST:
            body = body.replace(PLACEHOLDER.encode(), self.server.base_url.encode())
        self.send_body(200, body, ctype)

    do_HEAD = do_GET

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.request_body = self.rfile.read(length) if length else b""
        if not self.special():
            self.send_body(405, b"method not allowed\n", "text/plain; charset=utf-8")


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self, root: Path, handler: type[SiteHandler] = SiteHandler, port: int = 0, rewrite: bool = True
    ):
        super().__init__(("127.0.0.1", port), handler)
        self.root = root
        self.rewrite = rewrite
        self.hits = 0
        self.base_url = f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        # a client that hangs up early (timeouts, size limits) is not the server's problem
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


@contextmanager
def serve(
    root: Path, handler: type[SiteHandler] = SiteHandler, port: int = 0, rewrite: bool = True
) -> Iterator[SiteServer]:
    """Serve ``root`` on 127.0.0.1 in a background thread for the duration of the block."""
    server = SiteServer(root, handler, port, rewrite)
    thread = threading.Thread(target=server.serve_forever, name="pantau-site", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
