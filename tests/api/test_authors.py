"""The author= filter's pseudonym directory and privacy rule (api.services.authors)."""

from __future__ import annotations

from datetime import UTC, datetime

from api.pseudonym import Pseudonymizer
from api.services.authors import REFRESH_ON_MISS_S, PseudonymDirectory, author_filters
from api.state import Viewer
from indexes.base import AuthorFilter
from pantau.records import AccountKind, Author, Post, content_hash, post_id
from pantau.store import Store

SECRET = b"s" * 32


def add_post(store: Store, platform: str, handle: str, kind: AccountKind, n: int) -> None:
    text = f"postingan nomor {n} dari {handle}"
    store.upsert_post(
        Post(
            id=post_id(platform, f"p{n}"),
            platform=platform,
            source_id=f"{platform}_src",
            platform_post_id=f"p{n}",
            author=Author(handle=handle, kind=kind),
            published_at=datetime(2029, 2, 1, tzinfo=UTC),
            text=text,
            content_hash=content_hash(text),
        )
    )


def test_directory_resolves_only_accounts_that_are_not_monitored(store: Store) -> None:
    names = Pseudonymizer(SECRET)
    now = [0.0]
    directory = PseudonymDirectory(store, names, clock=lambda: now[0])
    add_post(store, "telegram", "warga_1", AccountKind.ordinary, 1)
    add_post(store, "telegram", "kanal_resmi", AccountKind.official_campaign, 2)
    anon = names.pseudonym("warga_1", "telegram")
    assert anon is not None and directory.resolve(anon) == [("telegram", "warga_1")]
    assert directory.resolve(names.pseudonym("kanal_resmi", "telegram") or "") == []  # shown in clear
    # a new account: not rebuilt on every miss, but within REFRESH_ON_MISS_S
    add_post(store, "x", "warga_2", AccountKind.unknown, 3)
    later = names.pseudonym("warga_2", "x") or ""
    now[0] += 1
    assert directory.resolve(later) == []
    now[0] += REFRESH_ON_MISS_S
    assert directory.resolve(later) == [("x", "warga_2")]


def test_the_rule_per_viewer(store: Store) -> None:
    names = Pseudonymizer(SECRET)
    directory = PseudonymDirectory(store, names)
    add_post(store, "telegram", "warga_1", AccountKind.ordinary, 1)
    anon = names.pseudonym("warga_1", "telegram") or ""
    journalist = Viewer(None, identify=False, pseudonyms=names)
    factchecker = Viewer(None, identify=True, pseudonyms=names)
    assert author_filters(["@Warga_1", anon], journalist, directory) == [
        AuthorFilter(handle="warga_1", monitored_only=True),
        AuthorFilter(handle="warga_1", platform="telegram"),
    ]
    assert author_filters(["warga_1"], factchecker, directory) == [AuthorFilter(handle="warga_1")]
    unknown = author_filters(["anon-ffffffffffffffff"], journalist, directory)
    assert unknown == [AuthorFilter(handle="anon-ffffffffffffffff", monitored_only=True)]
