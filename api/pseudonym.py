"""Pseudonyms for authors who are not monitored accounts (Indonesia's PDP Law 27/2022).

A pseudonym is ``anon-`` + the first 16 hex digits of HMAC-SHA256(secret, platform + handle): stable (the
same account always gets the same pseudonym, so "top accounts" still make sense) but not reversible
without the secret. The secret is ``settings.api.secret_key``, or a random one generated once into
``DATA_DIR/secret_key`` (mode 0600).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from pantau.errors import ConfigError
from pantau.records import AccountKind
from pantau.settings import Settings

SECRET_FILE = "secret_key"


def load_secret(settings: Settings) -> bytes:
    """The API secret: from settings, else from ``DATA_DIR/secret_key`` (created when missing)."""
    if settings.api.secret_key is not None:
        return settings.api.secret_key.get_secret_value().encode("utf-8")
    path: Path = settings.data_dir / SECRET_FILE
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
        value = path.read_text("utf-8").strip()
    except FileExistsError:  # another process created it first
        value = path.read_text("utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"secret key file {path}: cannot read or create it ({exc})") from exc
    if len(value) < 32:
        raise ConfigError(f"secret key file {path} holds fewer than 32 characters — delete it to regenerate")
    return value.encode("utf-8")


class Pseudonymizer:
    """Keyed, stable pseudonyms for account handles."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def pseudonym(self, handle: str | None, platform: str = "") -> str | None:
        """``anon-<16 hex>`` for ``handle`` (None stays None)."""
        if not handle:
            return None
        digest = hmac.new(self._secret, f"{platform}\x00{handle}".encode(), hashlib.sha256).hexdigest()
        return f"anon-{digest[:16]}"


def is_monitored(kind: str | None) -> bool:
    """Whether an account kind is public (campaigns, influencers, media, public figures)."""
    try:
        return AccountKind(kind or "unknown").monitored
    except ValueError:
        return False
