"""Reading claim files: fact-checks ``{id, claim, ...}`` and queries ``{text, factcheck_id}`` (JSONL or CSV).

A bad row is counted, logged and skipped; a missing or unreadable file raises :class:`ConfigError` naming
the file.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pantau.errors import ConfigError
from pantau.records import RATINGS, FactCheck

log = logging.getLogger(__name__)

# published ratings (Indonesian and English fact-checkers) → pantau.records.RATINGS
_RATING_WORDS: dict[str, str] = {
    "salah": "false",
    "hoaks": "false",
    "hoax": "false",
    "false": "false",
    "palsu": "false",
    "disinformasi": "false",
    "fitnah": "false",
    "keliru": "false",
    "bohong": "false",
    "pants on fire": "false",
    "menyesatkan": "misleading",
    "misleading": "misleading",
    "konten menyesatkan": "misleading",
    "missing context": "misleading",
    "konteks keliru": "misleading",
    "misinformasi": "misleading",
    "sebagian benar": "mixed",
    "mixed": "mixed",
    "half true": "mixed",
    "campuran": "mixed",
    "benar": "true",
    "true": "true",
    "fakta": "true",
    "correct": "true",
    "belum terbukti": "unproven",
    "unproven": "unproven",
    "tidak terbukti": "unproven",
    "satire": "satire",
    "satir": "satire",
    "parodi": "satire",
    "satire/parodi": "satire",
}


def normalize_rating(rating: str | None) -> str:
    """A published rating mapped onto :data:`pantau.records.RATINGS` (``"other"`` when unknown)."""
    if not rating:
        return "other"
    key = " ".join(rating.strip().strip("[]()").casefold().split())
    if key in RATINGS:
        return key
    if key in _RATING_WORDS:
        return _RATING_WORDS[key]
    for word, value in _RATING_WORDS.items():
        if len(word) > 4 and word in key:
            return value
    return "other"


@dataclass
class LoadReport:
    """Rows read and rows skipped (with the first few reasons)."""

    read: int = 0
    skipped: int = 0
    reasons: list[str] | None = None

    def skip(self, reason: str) -> None:
        self.skipped += 1
        self.reasons = (self.reasons or []) + ([reason] if len(self.reasons or []) < 5 else [])
        log.warning("%s", reason)


def _rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    if not path.is_file():
        raise ConfigError(f"file {path} does not exist — check the path")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"file {path}: cannot read it ({exc})") from exc
    if path.suffix.lower() == ".csv":
        for number, row in enumerate(csv.DictReader(text.splitlines()), start=2):
            yield number, dict(row), ""
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"not JSON ({exc.msg})"
            continue
        yield (
            number,
            value if isinstance(value, dict) else None,
            "" if isinstance(value, dict) else "not an object",
        )


def load_factchecks(path: Path, report: LoadReport | None = None) -> list[FactCheck]:
    """Fact-checks from a JSONL or CSV file with at least ``id`` and ``claim``."""
    report = report or LoadReport()
    out: list[FactCheck] = []
    seen: set[str] = set()
    for number, row, problem in _rows(path):
        report.read += 1
        if row is None:
            report.skip(f"{path}:{number}: {problem}; row skipped")
            continue
        ident, claim = str(row.get("id") or "").strip(), str(row.get("claim") or "").strip()
        if not ident or not claim:
            report.skip(f"{path}:{number}: a fact-check needs 'id' and 'claim'; row skipped")
            continue
        if ident in seen:
            report.skip(f"{path}:{number}: duplicate fact-check id {ident!r}; row skipped")
            continue
        rating = row.get("rating")
        fields = {k: v for k, v in row.items() if k in FactCheck.model_fields and v not in (None, "")}
        fields.update(id=ident, claim=claim, rating=str(rating) if rating else None)
        fields["rating_normalized"] = row.get("rating_normalized") or normalize_rating(fields["rating"])
        if fields["rating_normalized"] not in RATINGS:
            fields["rating_normalized"] = normalize_rating(str(fields["rating_normalized"]))
        try:
            out.append(FactCheck.model_validate(fields))
        except ValidationError as exc:
            report.skip(f"{path}:{number}: invalid fact-check ({exc.errors()[0]['msg']}); row skipped")
            continue
        seen.add(ident)
    return out


def load_queries(path: Path, report: LoadReport | None = None) -> list[tuple[str, str | None]]:
    """``(text, factcheck_id or None)`` pairs from a JSONL or CSV file with ``text`` and ``factcheck_id``."""
    report = report or LoadReport()
    out: list[tuple[str, str | None]] = []
    for number, row, problem in _rows(path):
        report.read += 1
        if row is None:
            report.skip(f"{path}:{number}: {problem}; row skipped")
            continue
        text = str(row.get("text") or "").strip()
        if not text:
            report.skip(f"{path}:{number}: a query needs 'text'; row skipped")
            continue
        target = row.get("factcheck_id")
        out.append((text, str(target).strip() if target not in (None, "") else None))
    return out
