"""Cluster and narrative pages, the "Klaster & narasi" part of post detail and the dashboard's
coordination lists, over a store where the real coordinator clustered a hand-built campaign (see
``tests/api/test_coordination.py``) — one account of it with a hostile handle, the script with a
``<script>`` tag."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.web import install_web
from api.web.passwords import set_password
from pantau.store import Store
from pantau.store.tables import NarrativePostRow
from tests.api.conftest import DemoScorer, make_settings
from tests.api.test_coordination import HOSTILE, seed_campaign

from .conftest import PASSWORD, login, post_form


@pytest.fixture(scope="module")
def camp(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    settings = make_settings(Path(tmp_path_factory.mktemp("coordweb")) / "data")
    env = seed_campaign(settings)
    store = Store.open(settings)
    try:
        for role in ("admin", "factchecker", "journalist", "volunteer"):
            set_password(store, f"{role}-1", PASSWORD, actor="test")
        with store.session() as s:
            env["narrative"] = s.get(NarrativePostRow, env["campaign"][0]).narrative_id
    finally:
        store.close()
    return {"settings": settings, **env}


@pytest.fixture
def web(camp: dict[str, Any]) -> Iterator[TestClient]:
    app = create_app(camp["settings"], scorer_factory=lambda settings, store: DemoScorer())
    install_web(app, camp["settings"])
    with TestClient(app, raise_server_exceptions=False, follow_redirects=True) as client:
        yield client


def assert_escaped(html: str) -> None:
    """Nothing the campaign's authors wrote arrives as markup."""
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "onerror=alert(1)>" not in html


def test_post_detail_shows_cluster_and_narrative(web: TestClient, camp: dict[str, Any]) -> None:
    html = login(web).get(f"/posts/{camp['campaign'][2]}").text
    assert 'id="coordination"' in html and "Klaster &amp; narasi" in html
    assert re.search(r'id="coord-score">\d+', html)
    assert f'href="/clusters/{camp["cluster"]}"' in html
    assert f'href="/narratives/{camp["narrative"]}"' in html
    assert html.count('<tr><th scope="row">') >= 12  # the accounts / times / platforms table
    assert escape(HOSTILE) in html
    assert_escaped(html)


def test_cluster_page_has_timeline_accounts_and_escapes(web: TestClient, camp: dict[str, Any]) -> None:
    resp = login(web).get(f"/clusters/{camp['cluster']}")
    assert resp.status_code == 200
    html = resp.text
    assert "<svg" in html and 'class="bar s-in_burst"' in html
    assert "Selebgram_Raka" in html and "buzzer_01" in html
    assert "&lt;script&gt;alert(&#39;klaster&#39;)&lt;/script&gt;" in html
    assert_escaped(html)
    assert "<style" not in html and "onclick" not in html


def test_journalist_sees_pseudonyms_on_cluster_page(web: TestClient, camp: dict[str, Any]) -> None:
    html = login(web, "journalist").get(f"/clusters/{camp['cluster']}").text
    assert "Selebgram_Raka" in html  # a monitored influencer stays in clear
    assert "buzzer_01" not in html and "onerror" not in html
    assert html.count("anon-") >= 11


def test_narrative_page(web: TestClient, camp: dict[str, Any]) -> None:
    html = login(web).get(f"/narratives/{camp['narrative']}").text
    assert "<svg" in html and 'class="bar s-narrative"' in html
    assert 'id="narrative-posts"' in html and "2029-02-13" in html
    assert_escaped(html)


def test_dashboard_lists_narratives_clusters_and_timeline(web: TestClient, camp: dict[str, Any]) -> None:
    html = login(web).get("/").text
    assert "Narasi yang sedang naik" in html and "Klaster paling terkoordinasi" in html
    assert f'href="/clusters/{camp["cluster"]}"' in html
    assert f'href="/narratives/{camp["narrative"]}"' in html
    assert 'class="bar s-coordinated"' in html
    assert_escaped(html)


def test_english_strings(web: TestClient, camp: dict[str, Any]) -> None:
    login(web)
    post_form(web, "/", "/lang", {"lang": "en"})
    html = web.get("/").text
    assert "Rising narratives" in html and "Most coordinated clusters" in html
    assert "Cluster &amp; narrative" in web.get(f"/posts/{camp['campaign'][0]}").text


def test_volunteer_and_unknown_ids(web: TestClient, camp: dict[str, Any]) -> None:
    login(web, "volunteer")
    assert web.get(f"/clusters/{camp['cluster']}").status_code == 403
    login(web, "factchecker")
    assert web.get("/clusters/tidak-ada").status_code == 404
    assert web.get("/narratives/tidak-ada").status_code == 404
