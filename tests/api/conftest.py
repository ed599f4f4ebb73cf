"""A real temp store + tantivy index holding a few demo-like posts, the real app in-process, and one
key per role. The models are replaced by :class:`DemoScorer` — a small deterministic fake at the
models boundary (the ``scorer`` service contract), never our own code."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import auth
from api.app import create_app
from pantau.process import run_process
from pantau.records import (
    AccountKind,
    Author,
    ClaimMatch,
    Engagement,
    FactCheck,
    Post,
    PostScores,
    Prediction,
    content_hash,
    post_id,
)
from pantau.settings import Settings
from pantau.store import Store

BASE = datetime(2029, 2, 10, 8, 0, tzinfo=UTC)
ROLES = ("admin", "factchecker", "journalist", "volunteer")

FACTCHECKS = [
    FactCheck(
        id="fc-surat",
        claim="Surat suara Pemilu 2029 sudah dicoblos sebelum hari pemungutan",
        rating="SALAH",
        rating_normalized="false",
        publisher="Cek Fakta Nusantara",
        url="https://cekfakta.example/surat-suara",
    ),
    FactCheck(
        id="fc-tinta",
        claim="Tinta pemilu mengandung babi",
        rating="HOAKS",
        rating_normalized="false",
        publisher="Cek Fakta Nusantara",
        url="https://cekfakta.example/tinta",
    ),
    FactCheck(
        id="fc-bansos",
        claim="Bansos hanya untuk pendukung paslon 01",
        rating="MENYESATKAN",
        rating_normalized="misleading",
        publisher="Periksa Data",
        url="https://periksadata.example/bansos",
    ),
]

# (platform, handle, kind, text, tags, hashtags, hours after BASE)
POSTS: list[tuple[str, str, AccountKind, str, list[str], list[str], int]] = [
    (
        "telegram",
        "relawan_nusantara",
        AccountKind.influencer,
        "Hoaks! Surat suara sudah dicoblos untuk paslon 02 di TPS 12, sebarkan!",
        ["paslon-02"],
        ["#pemilu2029"],
        0,
    ),
    (
        "telegram",
        "warga_biasa_77",
        AccountKind.ordinary,
        "Katanya surat suara sudah dicoblos duluan, benarkah? hoaks atau bukan",
        ["paslon-02"],
        ["#pemilu2029"],
        1,
    ),
    (
        "x",
        "akun_anonim_1",
        AccountKind.ordinary,
        "Tinta pemilu ada babinya, jangan mau dicelup! hoaks beredar",
        [],
        ["#tintapemilu"],
        2,
    ),
    (
        "x",
        "akun_anonim_2",
        AccountKind.ordinary,
        "Tinta pemilu ada babinya, jangan mau dicelup! hoaks beredar",
        [],
        ["#tintapemilu"],
        2,
    ),
    (
        "instagram",
        "selebgram_raka",
        AccountKind.influencer,
        "Yuk dukung Raka Wiratama nomor 01! Makin maju bersama Koalisi Nusantara Maju #ad",
        ["paslon-01"],
        ["#ad", "#paslon01"],
        5,
    ),
    (
        "news",
        "berita_nusantara",
        AccountKind.media,
        "KPU memastikan logistik Pemilu 2029 aman dan surat suara disimpan di gudang tersegel",
        [],
        [],
        26,
    ),
    (
        "youtube",
        "kanal_hendra",
        AccountKind.official_campaign,
        "Hendra Kusumadewa dan Fajar Alamsyah memaparkan program lapangan kerja",
        ["paslon-02"],
        ["#paslon02"],
        30,
    ),
    (
        "telegram",
        "info_bansos",
        AccountKind.unknown,
        "Bansos hanya untuk pendukung paslon 01, yang lain dicoret! hoaks atau fakta?",
        ["paslon-01"],
        ["#bansos"],
        50,
    ),
    (
        "tiktok",
        "lestari_fans",
        AccountKind.ordinary,
        "Lestari Anggraini paling peduli rakyat kecil, pilih 03! #endorse",
        ["paslon-03"],
        ["#paslon03"],
        51,
    ),
    (
        "news",
        "media_harapan",
        AccountKind.media,
        "Bawaslu menemukan pelanggaran kampanye di media sosial menjelang debat",
        [],
        ["#bawaslu"],
        70,
    ),
    (
        "x",
        "warga_biasa_77",
        AccountKind.ordinary,
        "<script>alert('x')</script> =HYPERLINK(\"http://evil.example\") tautan aneh soal pemilu",
        [],
        [],
        71,
    ),
    (
        "telegram",
        "relawan_nusantara",
        AccountKind.influencer,
        "Serangan fajar di desa kami: amplop 100 ribu untuk coblos paslon 02",
        ["paslon-02"],
        ["#pemilu2029"],
        90,
    ),
]


class DemoScorer:
    """Deterministic predictions with reasons, and a tiny claim matcher with a threshold."""

    versions = {
        "language": "lang-test",
        "hoax": "hoax-test",
        "endorsement": "endorse-test",
        "claims": "claims-test",
    }

    def __init__(self) -> None:
        self.matcher = DemoMatcher()

    def score(self, posts: list[Post]) -> list[PostScores]:
        out = []
        for post in posts:
            text = post.text.lower()
            p_hoax = 0.92 if "hoaks" in text or "babi" in text else 0.08
            p_paid = 0.85 if ("#endorse" in text or "amplop" in text) else 0.03
            endorse = "undisclosed_paid_political" if p_paid > 0.5 else "organic_political"
            hits = [
                h for h in self.matcher.match([post.text], 3)[0] if h.similarity >= self.matcher.threshold
            ]
            out.append(
                PostScores(
                    post_id=post.id,
                    language="id",
                    predictions=[
                        Prediction(
                            post_id=post.id,
                            task="hoax",
                            model_version="hoax-test",
                            label="hoax" if p_hoax > 0.5 else "not_hoax",
                            score=p_hoax,
                            probabilities={"hoax": p_hoax, "not_hoax": 1 - p_hoax},
                            reasons=[{"kind": "ngram", "text": "hoaks", "weight": 0.7}],
                        ),
                        Prediction(
                            post_id=post.id,
                            task="endorsement",
                            model_version="endorse-test",
                            label=endorse,
                            score=max(p_paid, 1 - p_paid),
                            probabilities={
                                "undisclosed_paid_political": p_paid,
                                "organic_political": 1 - p_paid,
                            },
                            reasons=[{"kind": "disclosure", "text": "none found"}],
                        ),
                    ],
                    claim_matches=[
                        ClaimMatch(
                            post_id=post.id,
                            factcheck_id=h.factcheck_id,
                            similarity=h.similarity,
                            rank=i,
                            model_version="claims-test",
                        )
                        for i, h in enumerate(hits, start=1)
                    ],
                )
            )
        return out


class Hit:
    def __init__(self, factcheck_id: str, similarity: float) -> None:
        self.factcheck_id, self.similarity = factcheck_id, similarity


class DemoMatcher:
    threshold = 0.5
    version = "claims-test"
    KEYS = {"fc-surat": ("surat suara", "dicoblos"), "fc-tinta": ("tinta", "babi"), "fc-bansos": ("bansos",)}

    def match(self, texts: list[str], k: int) -> list[list[Hit]]:
        out = []
        for text in texts:
            low = text.lower()
            hits = []
            for fid, words in self.KEYS.items():
                found = sum(w in low for w in words) / len(words)
                if found:
                    hits.append(Hit(fid, round(0.3 + 0.6 * found, 3)))
            out.append(sorted(hits, key=lambda h: -h.similarity)[:k])
        return out


def seed(settings: Settings) -> dict[str, Any]:
    """Store the demo posts and fact-checks and evidence for one post, then score, cluster and index
    everything with ``pantau process`` (the real pipeline, with DemoScorer; the two copy-paste posts
    become a cluster)."""
    store = Store.open(settings)
    ids = []
    try:
        for fc in FACTCHECKS:
            store.upsert_factcheck(fc)
        ev = store.put_evidence(
            b"<html>arsip</html>",
            url="https://t.me/s/relawan_nusantara",
            status=200,
            fetched_at=BASE,
            crawler_version="test/1",
            content_type="text/html",
        )
        for i, (platform, handle, kind, text, tags, hashtags, hours) in enumerate(POSTS):
            pid = post_id(platform, f"demo-{i}")
            ids.append(pid)
            store.upsert_post(
                Post(
                    id=pid,
                    platform=platform,
                    source_id=f"{platform}_demo",
                    platform_post_id=f"demo-{i}",
                    url=f"https://{platform}.example/{handle}/{i}",
                    author=Author(handle=handle, display_name=handle.replace("_", " ").title(), kind=kind),
                    published_at=BASE + timedelta(hours=hours),
                    text=text,
                    tags=tags,
                    hashtags=hashtags,
                    engagement=Engagement(views=100 * (i + 1), likes=i),
                    content_hash=content_hash(text),
                    evidence_sha256=ev.sha256 if i == 0 else None,
                )
            )
        run_process(settings, store, scorer=DemoScorer(), progress=False)
        keys = {role: auth.add_user(store, f"{role}-1", role, actor="test").key for role in ROLES}
    finally:
        store.close()
    return {"ids": ids, "keys": keys}


def make_settings(data_dir: Path, **api: Any) -> Settings:
    return Settings(data_dir=data_dir, models={"embedder": "none"}, api=api or {})


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A seeded data directory shared by a test module: settings, post ids and one key per role.
    Tests that change state in ways others would see use :func:`fresh_env` instead."""
    settings = make_settings(tmp_path_factory.mktemp("api") / "data")
    return {"settings": settings, **seed(settings)}


@pytest.fixture(scope="module")
def client(env: dict[str, Any]) -> Iterator[TestClient]:
    """The real app over :func:`env`, lifespan started."""
    app = create_app(env["settings"], scorer_factory=lambda settings, store: DemoScorer())
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def fresh_env(tmp_path: Path) -> dict[str, Any]:
    """Like :func:`env`, but a new data directory for this test alone."""
    settings = make_settings(tmp_path / "data")
    return {"settings": settings, **seed(settings)}


def app_client(settings: Settings) -> TestClient:
    """A client (use it as a context manager) of a new app over ``settings``."""
    return TestClient(
        create_app(settings, scorer_factory=lambda s, st: DemoScorer()), raise_server_exceptions=False
    )


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def assert_error(resp: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The one error shape."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], list)
    if code is not None:
        assert body["error"]["code"] == code, body
    return dict(body["error"])


def gz(data: bytes) -> bytes:
    return gzip.compress(data)
