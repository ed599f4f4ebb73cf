"""The ``demo_site`` service: the bundled offline demo site (``crawlers/demo_site/``) served on
127.0.0.1, and a sources file (from ``crawlers/demo_sources.yaml``) that points at it.

``with demo_site(settings) as site:`` gives ``site.base_url`` and ``site.sources_file``; ``pantau demo``
crawls the latter. The demo obeys robots.txt like any other site (it forbids ``/private/``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from crawlers.static_server import PLACEHOLDER, serve
from pantau.errors import ConfigError
from pantau.settings import Settings

DEMO_ROOT = Path(__file__).parent / "demo_site"
DEMO_SOURCES_TEMPLATE = Path(__file__).parent / "demo_sources.yaml"


@dataclass(frozen=True)
class DemoSite:
    base_url: str
    sources_file: Path


def write_sources(base_url: str, folder: Path, template: Path = DEMO_SOURCES_TEMPLATE) -> Path:
    """The demo sources file, written into ``folder``: ``{base_url}`` becomes the placeholder host and
    ``{address}`` the server's real address (the sources ``resolve`` one to the other), so what is stored
    does not depend on the port the server got this time."""
    try:
        text = template.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"demo sources template {template}: cannot read it ({exc})") from exc
    path = folder / "demo_sources.yaml"
    address = base_url.split("://", 1)[-1]
    path.write_text(text.replace("{base_url}", PLACEHOLDER).replace("{address}", address), encoding="utf-8")
    return path


@contextmanager
def demo_site(settings: Settings, port: int = 0, root: Path = DEMO_ROOT) -> Iterator[DemoSite]:
    """Serve the demo site on 127.0.0.1 for the duration of the block."""
    if not (root / "index.html").is_file():
        raise ConfigError(f"demo site not found at {root} — reinstall pantau")
    with tempfile.TemporaryDirectory(prefix="pantau-demo-") as tmp, serve(root, port=port) as server:
        yield DemoSite(base_url=server.base_url, sources_file=write_sources(server.base_url, Path(tmp)))
