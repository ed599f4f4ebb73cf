"""Fact-checks: list and search the store, detail, and match a text against them."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from sqlalchemy import func, or_, select

from api.schemas import FactCheckDetail, FactCheckMatch, FactCheckOut, FactCheckPage, MatchOut
from pantau.errors import NotFound, QuerySyntaxError
from pantau.records import Post, post_id
from pantau.store import Store
from pantau.store.tables import ClaimMatchRow, FactCheckRow, PostRow


def encode_cursor(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, name: str = "cursor") -> str:
    """The value inside an opaque cursor; :class:`QuerySyntaxError` naming ``name`` when it is not one."""
    try:
        padded = (cursor + "=" * (-len(cursor) % 4)).encode("ascii")
        value = base64.b64decode(padded, altchars=b"-_", validate=True).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeError):
        value = ""
    if not value:
        raise QuerySyntaxError(f"{name} {cursor[:40]!r} is not valid — start again without it")
    return value


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_factchecks(
    store: Store, *, q: str, rating: list[str], publisher: str | None, limit: int, cursor: str | None
) -> FactCheckPage:
    """Fact-checks ordered by id; ``q`` matches claim, summary or publisher (case-insensitive)."""
    stmt = select(FactCheckRow).order_by(FactCheckRow.id).limit(limit + 1)
    if q.strip():
        for word in q.split()[:10]:
            pattern = _like(word)
            stmt = stmt.where(
                or_(
                    FactCheckRow.claim.ilike(pattern, escape="\\"),
                    FactCheckRow.summary.ilike(pattern, escape="\\"),
                    FactCheckRow.publisher.ilike(pattern, escape="\\"),
                )
            )
    if rating:
        stmt = stmt.where(FactCheckRow.rating_normalized.in_(rating))
    if publisher:
        stmt = stmt.where(FactCheckRow.publisher == publisher)
    if cursor:
        stmt = stmt.where(FactCheckRow.id > decode_cursor(cursor))
    with store.session() as s:
        rows = list(s.scalars(stmt))
    page = rows[:limit]
    more = len(rows) > limit
    return FactCheckPage(
        items=[FactCheckOut.model_validate(r, from_attributes=True) for r in page],
        next_cursor=encode_cursor(page[-1].id) if more and page else None,
    )


def get_factcheck(store: Store, factcheck_id: str) -> FactCheckDetail:
    """One fact-check with how many posts repeat it."""
    with store.session() as s:
        row = s.get(FactCheckRow, factcheck_id)
        if row is None:
            raise NotFound(f"fact-check {factcheck_id!r} does not exist")
        n = s.scalar(
            select(func.count(func.distinct(ClaimMatchRow.post_id))).where(
                ClaimMatchRow.factcheck_id == factcheck_id
            )
        )
        recent = list(
            s.scalars(
                select(PostRow.id)
                .join(ClaimMatchRow, ClaimMatchRow.post_id == PostRow.id)
                .where(ClaimMatchRow.factcheck_id == factcheck_id)
                .group_by(PostRow.id)
                .order_by(func.max(PostRow.published_at).desc())
                .limit(20)
            )
        )
        base = FactCheckOut.model_validate(row, from_attributes=True)
    return FactCheckDetail(**base.model_dump(), matched_posts=int(n or 0), recent_post_ids=recent)


def _factchecks_by_id(store: Store, ids: list[str]) -> dict[str, FactCheckOut]:
    if not ids:
        return {}
    with store.session() as s:
        return {
            r.id: FactCheckOut.model_validate(r, from_attributes=True)
            for r in s.scalars(select(FactCheckRow).where(FactCheckRow.id.in_(ids)))
        }


def match_text(store: Store, scorer: Any, text: str, k: int) -> MatchOut:
    """Fact-checks ``text`` may repeat, best first, with the matcher's calibrated similarity.

    Uses the scorer's claim matcher (``scorer.matcher.match(texts, k)``) when it exposes one, else the
    claim matches of ``scorer.score`` (only those above the threshold)."""
    matcher = getattr(scorer, "matcher", None)
    version = (getattr(scorer, "versions", {}) or {}).get("claims")
    if matcher is not None and callable(getattr(matcher, "match", None)):
        threshold = float(getattr(matcher, "threshold", 0.0))
        hits = matcher.match([text], k)[0]
        pairs = [(str(h.factcheck_id), float(h.similarity)) for h in hits]
    else:
        threshold = None
        scores = scorer.score([probe_post(text)])
        pairs = [(m.factcheck_id, m.similarity) for m in (scores[0].claim_matches if scores else [])][:k]
    known = _factchecks_by_id(store, [fid for fid, _ in pairs])
    matches = [
        FactCheckMatch(
            factcheck=known[fid],
            similarity=round(sim, 6),
            above_threshold=threshold is None or sim >= threshold,
        )
        for fid, sim in pairs
        if fid in known
    ]
    return MatchOut(matches=matches, threshold=threshold, model_version=version)


def probe_post(
    text: str, title: str | None = None, platform: str = "web", author_kind: str = "unknown"
) -> Post:
    """A throw-away post wrapping a text sent to the API (never stored)."""
    from pantau.records import AccountKind, Author

    return Post(
        id=post_id("api", f"probe:{hash(text)}"),
        platform=platform,
        source_id="api",
        text=text,
        title=title,
        author=Author(kind=AccountKind(author_kind)),
    )
