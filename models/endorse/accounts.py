"""Account context for the endorsement detector: who is exempt, who raises the prior of paid.

Official campaign accounts (account kind ``official_campaign``, i.e. registered with KPU and configured
as such in ``sources.yaml``) are exempt: what they post is disclosed campaign advertising by registration.
Influencers raise the prior of paid promotion: an author whose account kind is ``influencer``, or whose
handle is listed in ``DATA_DIR/influencers.txt`` (one handle per line, ``#`` starts a comment, ``@`` and
case are ignored). The list is configuration, kept by the operator, never learnt by a model.
"""

from __future__ import annotations

from pathlib import Path

from pantau.errors import ConfigError
from pantau.settings import Settings

INFLUENCER_FILE = "influencers.txt"
OFFICIAL = "official_campaign"
INFLUENCER = "influencer"


def normalize_handle(handle: str) -> str:
    return handle.strip().lstrip("@").casefold()


def read_influencers(path: Path) -> frozenset[str]:
    """Handles listed in ``path`` (missing file → empty)."""
    if not path.exists():
        return frozenset()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"influencer list {path}: cannot read it ({exc})") from exc
    handles = {normalize_handle(line.split("#", 1)[0]) for line in lines}
    return frozenset(h for h in handles if h)


def influencer_list(settings: Settings) -> frozenset[str]:
    """The configured influencer handles (``DATA_DIR/influencers.txt``)."""
    return read_influencers(settings.data_dir / INFLUENCER_FILE)


def account_context(
    account_kind: str | None, author: str | None, influencers: frozenset[str]
) -> tuple[bool, bool]:
    """(exempt official campaign account, configured influencer) for one author."""
    kind = (account_kind or "").strip().lower()
    listed = bool(author) and normalize_handle(author or "") in influencers
    return kind == OFFICIAL, kind == INFLUENCER or listed
