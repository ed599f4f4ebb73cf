"""Indonesian by default, English on request: message catalogs in ``api/web/locales/<lang>.json``.

Templates call ``_("key")`` (and ``_("key", n=3)`` for messages with ``{n}``). A key missing from the
chosen language falls back to Indonesian, then to the key itself; a test keeps the two catalogs and
the templates in step.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("id", "en")
DEFAULT = "id"


@cache
def catalog(lang: str) -> dict[str, str]:
    """The messages of ``lang`` (an unknown language gets Indonesian)."""
    if lang not in LANGUAGES:
        lang = DEFAULT
    data: dict[str, str] = json.loads((LOCALES_DIR / f"{lang}.json").read_text(encoding="utf-8"))
    return data


def pick(value: str | None) -> str:
    """A supported language code from a cookie or form value (Indonesian otherwise)."""
    return value if value in LANGUAGES else DEFAULT


class Translator:
    """``_("key", **params)`` for one language."""

    def __init__(self, lang: str) -> None:
        self.lang = pick(lang)
        self._messages = catalog(self.lang)
        self._fallback = catalog(DEFAULT)

    def __call__(self, key: str, default: str | None = None, **params: Any) -> str:
        """The message ``key`` with ``{name}`` fields filled in; ``default`` (else the key's last part)
        when no catalog has it — e.g. a model label pantau has no translation for."""
        text = self._messages.get(key) or self._fallback.get(key)
        if text is None:
            return default if default is not None else key.rsplit(".", 1)[-1]
        return text.format(**params) if params else text
