"""The Indonesian slang / abbreviation lexicon (``models/resources/slang_id.tsv``).

The file is written by the pantau authors: one entry per line, tab-separated ``slang``, ``standard``
and ``note`` columns under a header. ``standard`` may hold several words (``otw`` → ``dalam perjalanan``).
Keys are lower case and unique; :func:`load_lexicon` refuses a malformed file with a message naming the
line, so a bad edit fails loudly in tests instead of silently changing model features.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pantau.errors import ConfigError

LEXICON_PATH = Path(__file__).resolve().parents[1] / "resources" / "slang_id.tsv"
HEADER = ("slang", "standard", "note")
_HEADER_TEXT = "\t".join(HEADER)


def load_lexicon(path: Path = LEXICON_PATH) -> dict[str, str]:
    """Read a slang TSV into ``{slang: standard}``; raises :class:`ConfigError` on a malformed line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"slang lexicon {path}: cannot read it ({exc})") from exc
    if not lines or tuple(lines[0].split("\t")) != HEADER:
        raise ConfigError(f"slang lexicon {path}: the first line must be the header {_HEADER_TEXT!r}")
    lexicon: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(HEADER):
            raise ConfigError(f"slang lexicon {path}:{number}: expected 3 tab-separated cells, got {line!r}")
        slang, standard = cells[0].strip(), cells[1].strip()
        if not slang or not standard or slang != slang.lower() or " " in slang:
            raise ConfigError(
                f"slang lexicon {path}:{number}: slang must be one lower-case word and standard non-empty, "
                f"got {line!r}"
            )
        if slang in lexicon:
            raise ConfigError(f"slang lexicon {path}:{number}: duplicate entry {slang!r}")
        lexicon[slang] = standard
    return lexicon


@lru_cache(maxsize=1)
def lexicon() -> dict[str, str]:
    """The bundled lexicon, read once."""
    return load_lexicon()


def expand(token: str) -> str:
    """The standard form of one lower-case token (the token itself when it is not slang)."""
    return lexicon().get(token, token)
