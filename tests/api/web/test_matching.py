"""The Python matcher used by alerts agrees with the index on every seeded document."""

from __future__ import annotations

from typing import Any

import pytest

from api.web.matching import matches
from api.web.saved import to_query
from pantau import plugins
from pantau.store import Store
from tests.api.conftest import make_settings, seed

QUERIES: list[dict[str, Any]] = [
    {"q": "surat suara"},
    {"q": '"surat suara" -tinta'},
    {"q": "tinta OR bansos"},
    {"q": "(kpu OR bawaslu) BUKAN debat"},
    {"q": "memenangkan"},
    {"label": ["hoax:hoax"]},
    {"q": "hoaks", "platform": ["telegram"], "min_risk": "0.5"},
    {"tag": ["paslon-02"], "review_status": ["unreviewed"]},
    {"author_kind": ["media"], "published_from": "2029-02-11"},
    {"has_claim_match": "true"},
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One seeded data directory for the whole module (these tests only read)."""
    settings = make_settings(tmp_path_factory.mktemp("matching") / "data")
    return {"settings": settings, **seed(settings)}


@pytest.mark.parametrize("params", QUERIES)
def test_matcher_agrees_with_the_index(seeded: dict[str, Any], params: dict[str, Any]) -> None:
    web_env = seeded
    settings = web_env["settings"]
    index = plugins.service("search_index")(settings)
    store = Store.open(settings)
    try:
        query = to_query(params, limit=500)
        found = {h.id for h in index.search(query).hits}
        docs = [index.get(pid) for pid in web_env["ids"]]
        mine = {d.id for d in docs if d is not None and matches(query, d)}
        assert mine == found, params
    finally:
        store.close()
        index.close()
