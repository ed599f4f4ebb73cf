"""Candidates and parties from configuration (``PANTAU_ELECTION_FILE``).

The lists tag posts and let the neutrality test swap names; they are never model vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pantau.errors import ConfigError


@dataclass(frozen=True)
class Entity:
    """A candidate pair or a party and the names people use for it."""

    id: str
    kind: str  # "candidate" or "party"
    names: tuple[str, ...]
    ballot_number: int | None = None


@dataclass(frozen=True)
class Election:
    name: str
    entities: tuple[Entity, ...] = field(default_factory=tuple)

    @property
    def candidates(self) -> tuple[Entity, ...]:
        return tuple(e for e in self.entities if e.kind == "candidate")

    @property
    def parties(self) -> tuple[Entity, ...]:
        return tuple(e for e in self.entities if e.kind == "party")

    def all_names(self) -> list[str]:
        """Every configured name, longest first (so longer names win when matching)."""
        return sorted({n for e in self.entities for n in e.names}, key=len, reverse=True)

    def tags_for(self, text: str) -> list[str]:
        """Ids of the entities a text names (whole-word, case-insensitive)."""
        found = []
        for entity in self.entities:
            if any(_word_re(name).search(text) for name in entity.names):
                found.append(entity.id)
        return found


_RE_CACHE: dict[str, re.Pattern[str]] = {}


def _word_re(name: str) -> re.Pattern[str]:
    pattern = _RE_CACHE.get(name)
    if pattern is None:
        pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)
        _RE_CACHE[name] = pattern
    return pattern


def load_election(path: Path) -> Election:
    """Read an election file; raises :class:`ConfigError` naming the file and the problem."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(
            f"election file {path}: cannot read it ({exc}) — check PANTAU_ELECTION_FILE"
        ) from exc
    entities: list[Entity] = []
    try:
        for cand in data.get("candidates", []):
            names = [
                cand.get("president"),
                cand.get("vice_president"),
                cand.get("coalition"),
                *cand.get("aliases", []),
            ]
            entities.append(
                Entity(
                    id=str(cand["id"]),
                    kind="candidate",
                    names=tuple(n for n in names if n),
                    ballot_number=cand.get("ballot_number"),
                )
            )
        for party in data.get("parties", []):
            names = [party.get("name"), party.get("abbreviation"), *party.get("aliases", [])]
            entities.append(
                Entity(
                    id=str(party["id"]),
                    kind="party",
                    names=tuple(n for n in names if n),
                    ballot_number=party.get("ballot_number"),
                )
            )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"election file {path}: every candidate and party needs an id ({exc})") from exc
    return Election(name=str(data.get("election", "")), entities=tuple(entities))
