"""Backends under test and a small, varied corpus of index documents."""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from indexes.base import IndexDocument, SearchIndex
from indexes.tantivy_index import TantivyIndex

TEXTS = [
    "Paslon 01 Raka Wiratama memenangkan debat pertama di Jakarta",
    "Kecurangan pemilu di TPS 12: surat suara sudah dicoblos sebelum pemungutan",
    "Hoaks! KPU disebut curang dalam penghitungan suara Pemilu 2029",
    "Kemenangan paslon 02 Hendra Kusumadewa sudah pasti kata relawan",
    "Cuaca cerah di Surabaya, warga antusias datang ke TPS",
    "Beredar video lama yang diklaim sebagai kerusuhan setelah pemilihan",
    "Dapatkan promo skincare terbaik hari ini #ad #endorse",
    "Dukung Lestari Anggraini! Pilih nomor 03 untuk perubahan sejahtera",
    "Bawaslu menemukan pelanggaran kampanye di media sosial",
    "Pesan berantai: surat suara tercoblos dikirim dari luar negeri",
]
PLATFORMS = ["telegram", "news", "x", "youtube"]
SOURCES = ["kanal_a", "kanal_b", "berita_c"]
KINDS = ["official_campaign", "influencer", "media", "ordinary"]
TAGS = ["paslon-01", "paslon-02", "paslon-03", "psrb", "pkbm"]
BASE = datetime(2029, 1, 10, tzinfo=UTC)


def make_docs(n: int, seed: int = 7, prefix: str = "p") -> list[IndexDocument]:
    """``n`` documents with every filterable field varied (seeded)."""
    rnd = random.Random(seed)
    docs = []
    for i in range(n):
        hoax = rnd.random()
        endorse = rnd.random() * 0.8
        matches = rnd.sample(["fc1", "fc2", "fc3"], rnd.choice([0, 0, 1, 2]))
        published = (
            None
            if i % 9 == 0
            else BASE + timedelta(hours=rnd.randrange(0, 24 * 6), seconds=rnd.randrange(60))
        )
        docs.append(
            IndexDocument(
                id=f"{prefix}{i:05d}",
                platform=rnd.choice(PLATFORMS),
                source_id=rnd.choice(SOURCES),
                author_kind=rnd.choice(KINDS),
                author_handle=f"akun{rnd.randrange(20)}",
                published_at=published,
                fetched_at=BASE + timedelta(days=7, seconds=i),
                title=None if i % 3 else f"Judul {i}",
                text=TEXTS[i % len(TEXTS)] + f" (catatan {i})",
                language=rnd.choice(["id", "id", "ms", "en"]),
                tags=sorted(rnd.sample(TAGS, rnd.choice([0, 1, 2]))),
                labels={
                    "hoax": "hoax" if hoax > 0.5 else "not_hoax",
                    "endorsement": "undisclosed_paid_political" if endorse > 0.5 else "organic_political",
                },
                scores={"hoax": hoax, "endorsement": endorse},
                risk=max(hoax, endorse, 0.9 if matches else 0.0),
                factcheck_ids=matches,
                claim_similarity=0.8 if matches else 0.0,
                review_status=rnd.choice(["unreviewed", "unreviewed", "false", "true"]),
            )
        )
    return docs


def _es_index() -> Iterator[SearchIndex]:
    from elasticsearch import Elasticsearch

    from indexes.es_index import ElasticsearchIndex

    url = os.environ["PANTAU_TEST_ES_URL"]
    prefix = f"pantau-test-{uuid.uuid4().hex[:8]}"
    index = ElasticsearchIndex(Elasticsearch(url), prefix, url)
    try:
        yield index
    finally:
        client = index.client.options(ignore_status=404)
        for name in client.indices.get(index=f"{prefix}-posts-*").body:  # wildcard deletes may be refused
            client.indices.delete(index=name)
        client.indices.delete_index_template(name=f"{prefix}-posts")
        index.close()


BACKENDS = [
    pytest.param("tantivy", id="tantivy"),
    pytest.param(
        "elasticsearch",
        id="elasticsearch",
        marks=[
            pytest.mark.es,
            pytest.mark.skipif(
                "PANTAU_TEST_ES_URL" not in os.environ, reason="PANTAU_TEST_ES_URL is not set"
            ),
        ],
    ),
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchIndex]:
    """An empty index of each backend (Elasticsearch only when PANTAU_TEST_ES_URL is set)."""
    if request.param == "tantivy":
        index = TantivyIndex(tmp_path / "index")
        yield index
        index.close()
    else:
        yield from _es_index()
