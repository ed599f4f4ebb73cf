"""Coordination clusters, narratives and co-posting partners as the API shows them.

The numbers come from :mod:`models.coordination.service`; this module turns account keys
(``platform:handle``) into :class:`~api.schemas.AuthorOut` the way the posts endpoints do
(:meth:`api.state.Viewer.author`): monitored accounts in clear, other authors under their pseudonym for
roles without ``authors:identify``. An account's kind and spelling come from its stored posts; an account
with no stored post left is treated as ``unknown`` (pseudonymised).

Pseudonyms resolve: ``GET /v1/accounts/{platform}/anon-…/partners`` finds the account in the co-posting
network whose pseudonym that is (the server holds the secret), so a journalist can follow a
pseudonymised account from a cluster to its partners without ever learning its handle.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select

from api.schemas import (
    AuthorOut,
    ClusterAccountOut,
    ClusterDetailOut,
    ClusterEdgeOut,
    ClusterPage,
    ClusterPostOut,
    ClusterSummaryOut,
    NarrativeAccountOut,
    NarrativeDetailOut,
    NarrativeOut,
    NarrativePage,
    NarrativePostOut,
    PartnerOut,
    PartnersOut,
)
from api.state import Viewer
from models.coordination import service as coord
from models.coordination.clusters import account_key
from pantau.errors import NotFound
from pantau.store import Store
from pantau.store.tables import AccountEdgeRow, CoordClusterRow, NarrativeRow, PostRow

PSEUDONYM_PREFIX = "anon-"
#: how many accounts of one platform a pseudonym is looked for among (the co-posting network)
MAX_RESOLVE = 200_000


def _split(key: str) -> tuple[str, str]:
    platform, _, handle = key.partition(":")
    return platform, handle


def account_kinds(store: Store, keys: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """``platform:handle`` → (handle as stored, author kind) for the accounts that have stored posts."""
    by_platform: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        platform, handle = _split(key)
        by_platform[platform].add(handle)
    out: dict[str, tuple[str, str | None]] = {}
    with store.session() as s:
        for platform, handles in by_platform.items():
            # exact spelling first (the author_handle index); handles stored with capitals need lower()
            for exact in (True, False):
                wanted = sorted(h for h in handles if f"{platform}:{h}" not in out)
                column = PostRow.author_handle if exact else func.lower(PostRow.author_handle)
                for start in range(0, len(wanted), 400):
                    rows = s.execute(
                        select(PostRow.author_handle, PostRow.author_kind)
                        .where(PostRow.platform == platform, column.in_(wanted[start : start + 400]))
                        .distinct()
                    ).all()
                    for stored, kind in rows:
                        if stored:
                            out[f"{platform}:{stored.strip().lstrip('@').lower()}"] = (stored, kind)
    return out


def _from_posts(store: Store, post_ids: list[str]) -> dict[str, tuple[str, str | None]]:
    """Account key → (handle as stored, kind) of the authors of ``post_ids`` (primary-key look-ups)."""
    out: dict[str, tuple[str, str | None]] = {}
    with store.session() as s:
        for start in range(0, len(post_ids), 400):
            rows = s.execute(
                select(PostRow.platform, PostRow.author_handle, PostRow.source_id, PostRow.author_kind).where(
                    PostRow.id.in_(post_ids[start : start + 400])
                )
            ).all()
            for platform, handle, source_id, kind in rows:
                out[account_key(platform, handle, source_id)] = (handle or source_id, kind)
    return out


class AccountNames:
    """Account keys as one viewer may see them."""

    def __init__(self, viewer: Viewer, known: dict[str, tuple[str, str | None]]) -> None:
        self.viewer = viewer
        self.known = known

    def author(self, key: str) -> AuthorOut:
        platform, handle = _split(key)
        raw, kind = self.known.get(key, (handle, None))
        return self.viewer.author(platform, raw, None, kind)

    def name(self, key: str) -> str:
        return self.author(key).handle or key


def list_clusters(
    store: Store, *, coordinated_only: bool, min_accounts: int, limit: int, offset: int
) -> ClusterPage:
    """One page of clusters, most coordinated first."""
    rows = coord.list_clusters(
        store, coordinated_only=coordinated_only, min_accounts=min_accounts, limit=limit + 1, offset=offset
    )
    more = len(rows) > limit
    return ClusterPage(
        items=[ClusterSummaryOut.model_validate(r) for r in rows[:limit]],
        next_offset=offset + limit if more else None,
    )


def cluster_detail(store: Store, cluster_id: str, viewer: Viewer) -> ClusterDetailOut:
    """A cluster with its accounts, posts and edges, authors shown as ``viewer`` may see them."""
    data = coord.cluster_detail(store, cluster_id)
    posts: list[dict[str, Any]] = data.pop("posts")
    edges: list[dict[str, Any]] = data.pop("edges")
    burst = set(data.pop("coordinated_accounts"))
    with store.session() as s:
        # the model's detail lists the posts under "posts"; the summary's count comes from the row
        row = s.get(CoordClusterRow, cluster_id)
        data["posts"] = row.posts if row is not None else len(posts)
        ids = [p["id"] for p in posts]
        raw = dict(
            s.execute(select(PostRow.id, PostRow.author_handle).where(PostRow.id.in_(ids[:500]))).all()
        )
    known: dict[str, tuple[str, str | None]] = {}
    for p in posts:
        known.setdefault(p["account"], (raw.get(p["id"]) or _split(p["account"])[1], p["author_kind"]))
    missing = (burst | {e["a"] for e in edges} | {e["b"] for e in edges}) - set(known)
    if missing:
        known.update(account_kinds(store, missing))
    names = AccountNames(viewer, known)
    member_posts = []
    per_account: dict[str, list[datetime | None]] = defaultdict(list)
    for p in posts:
        author = names.author(p["account"])
        when = datetime.fromisoformat(p["published_at"]) if p["published_at"] else None
        per_account[p["account"]].append(when)
        member_posts.append(
            ClusterPostOut(
                id=p["id"],
                author=author,
                platform=p["platform"],
                published_at=when,
                url=p["url"] if author.pseudonymised is False else None,
                text=p["text"],
                in_burst=p["in_burst"],
            )
        )
    accounts = [
        ClusterAccountOut(
            author=names.author(key),
            platform=_split(key)[0],
            posts=len(times),
            first_post=min((t for t in times if t), default=None),
            last_post=max((t for t in times if t), default=None),
            in_burst=key in burst,
        )
        for key, times in per_account.items()
    ]
    accounts.sort(key=lambda a: (not a.in_burst, a.first_post.timestamp() if a.first_post else float("inf")))
    return ClusterDetailOut(
        **data,
        member_accounts=accounts,
        member_posts=member_posts,
        edges=[ClusterEdgeOut(a=names.name(e["a"]), b=names.name(e["b"]), weight=e["weight"]) for e in edges],
    )


def _narrative(data: dict[str, Any], names: AccountNames) -> dict[str, Any]:
    out = dict(data)
    out["top_accounts"] = [
        NarrativeAccountOut(
            author=names.author(t["account"]), platform=_split(t["account"])[0], posts=t["posts"]
        )
        for t in data.get("top_accounts", [])
    ]
    return out


def list_narratives(store: Store, viewer: Viewer, *, limit: int, days: int, min_posts: int) -> NarrativePage:
    """Narratives, trending first."""
    rows = coord.list_narratives(store, limit=limit, days=days, min_posts=min_posts)
    names = AccountNames(
        viewer, account_kinds(store, {t["account"] for r in rows for t in r["top_accounts"]})
    )
    return NarrativePage(items=[NarrativeOut.model_validate(_narrative(r, names)) for r in rows])


def narrative_detail(
    store: Store, narrative_id: str, viewer: Viewer, *, limit: int = 100
) -> NarrativeDetailOut:
    """One narrative with its latest posts."""
    data = coord.narrative_detail(store, narrative_id, limit=limit)
    posts: list[dict[str, Any]] = data.pop("posts")
    with store.session() as s:  # the model's detail lists the posts under "posts"; the count is the row's
        row = s.get(NarrativeRow, narrative_id)
        data["posts"] = row.posts if row is not None else len(posts)
    known = _from_posts(store, [p["id"] for p in posts])
    keys = {p["account"] for p in posts} | {t["account"] for t in data["top_accounts"]}
    known.update(account_kinds(store, keys - set(known)))
    names = AccountNames(viewer, known)
    out = _narrative(data, names)
    out["member_posts"] = [
        NarrativePostOut(
            id=p["id"],
            author=names.author(p["account"]),
            platform=p["platform"],
            published_at=datetime.fromisoformat(p["published_at"]) if p["published_at"] else None,
        )
        for p in posts
    ]
    return NarrativeDetailOut.model_validate(out)


def resolve_account(store: Store, viewer: Viewer, platform: str, handle: str) -> str:
    """The account key for ``handle`` on ``platform``; a pseudonym (``anon-…``) is looked up among the
    accounts of the co-posting network. :class:`NotFound` when a pseudonym matches none."""
    platform = platform.strip().lower()
    handle = handle.strip().lstrip("@")
    if not handle.lower().startswith(PSEUDONYM_PREFIX):
        return f"{platform}:{handle.lower()}"
    prefix = f"{platform}:"
    with store.session() as s:
        keys = set(
            s.scalars(
                select(AccountEdgeRow.account_a)
                .where(AccountEdgeRow.account_a.startswith(prefix))
                .limit(MAX_RESOLVE)
            )
        )
        keys |= set(
            s.scalars(
                select(AccountEdgeRow.account_b)
                .where(AccountEdgeRow.account_b.startswith(prefix))
                .limit(MAX_RESOLVE)
            )
        )
    known = account_kinds(store, keys)
    wanted = handle.lower()
    for key in sorted(keys):
        raw = known.get(key, (_split(key)[1], None))[0]
        for spelling in {raw, _split(key)[1]}:
            if viewer.pseudonyms.pseudonym(spelling, platform) == wanted:
                return key
    raise NotFound(f"account {handle!r} on {platform!r} is not in the co-posting network")


def partners(store: Store, viewer: Viewer, platform: str, handle: str, *, limit: int) -> PartnersOut:
    """Co-posting partners of one account, strongest first, authors shown as ``viewer`` may see them."""
    key = resolve_account(store, viewer, platform, handle)
    rows = coord.account_partners(store, key, limit=limit)
    if not rows:
        with store.session() as s:
            seen = s.scalar(
                select(func.count())
                .select_from(PostRow)
                .where(
                    PostRow.platform == _split(key)[0], func.lower(PostRow.author_handle) == _split(key)[1]
                )
            )
            if not seen and not s.scalar(
                select(func.count())
                .select_from(AccountEdgeRow)
                .where(or_(AccountEdgeRow.account_a == key, AccountEdgeRow.account_b == key))
            ):
                raise NotFound(f"account {handle!r} on {platform!r} has no stored posts")
    names = AccountNames(viewer, account_kinds(store, {key} | {r["account"] for r in rows}))
    return PartnersOut(
        account=names.author(key),
        platform=_split(key)[0],
        partners=[
            PartnerOut(
                author=names.author(r["account"]),
                platform=_split(r["account"])[0],
                weight=r["weight"],
                clusters=r["clusters"],
            )
            for r in rows
        ],
    )
