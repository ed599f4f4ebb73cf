"""Streaming export: CSV and JSONL, every row once, pseudonymised, formula-safe, constant memory."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.pseudonym import Pseudonymizer
from api.services import export
from api.state import Viewer
from indexes.base import Filters, IndexDocument
from indexes.tantivy_index import TantivyIndex

from .conftest import POSTS, assert_error, bearer


def test_jsonl_streams_every_row_pseudonymised(client: TestClient, env: dict[str, Any]) -> None:
    with client.stream(
        "GET", "/v1/posts/export", params={"format": "jsonl"}, headers=bearer(env["keys"]["factchecker"])
    ) as resp:
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("application/x-ndjson")
        assert "content-length" not in resp.headers  # streamed
        assert "attachment" in resp.headers["content-disposition"]
        rows = [json.loads(line) for line in resp.iter_lines() if line]
    assert len(rows) == len(POSTS) == len({r["id"] for r in rows})
    for r in rows:
        if r["author_kind"] in ("ordinary", "unknown"):  # even for a fact-checker
            assert r["author_pseudonymised"] and r["author_handle"].startswith("anon-") and r["url"] is None
    assert "warga_biasa_77" not in json.dumps(rows)


def test_csv_with_filters_and_formula_guard(client: TestClient, env: dict[str, Any]) -> None:
    resp = client.get(
        "/v1/posts/export",
        params={"format": "csv", "q": "tautan aneh"},
        headers=bearer(env["keys"]["journalist"]),
    )
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    text = resp.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1 and rows[0]["text"].startswith("<script>")
    hostile = next(csv.DictReader(io.StringIO(text)))
    assert "=HYPERLINK" in hostile["text"]
    resp = client.get(
        "/v1/posts/export",
        params={"format": "csv", "label": "hoax:hoax", "max_rows": 2},
        headers=bearer(env["keys"]["journalist"]),
    )
    assert len(list(csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig"))))) == 2


def test_export_posts_of_chosen_accounts(client: TestClient, env: dict[str, Any]) -> None:
    h = bearer(env["keys"]["journalist"])
    top = client.get("/v1/stats/top-accounts", params={"platform": "x"}, headers=h).json()["items"]
    anon = next(i["author"]["handle"] for i in top if i["author"]["handle"].startswith("anon-"))
    params = {"author": ["relawan_nusantara", anon], "label": "hoax:hoax"}
    rows = [json.loads(x) for x in client.get("/v1/posts/export", params=params, headers=h).text.splitlines()]
    assert {r["author_handle"] for r in rows} == {"relawan_nusantara", anon}
    assert all(r["hoax_label"] == "hoax" for r in rows)


def test_formula_cells_are_neutralised() -> None:
    assert export._cell("=1+1") == "'=1+1" and export._cell("@SUM(A1)") == "'@SUM(A1)"
    assert export._cell("-10") == "'-10" and export._cell("biasa") == "biasa" and export._cell(None) == ""
    assert export._cell(["a", "b"]) == "a|b"


def test_bad_export_request_fails_before_streaming(client: TestClient, env: dict[str, Any]) -> None:
    h = bearer(env["keys"]["admin"])
    assert_error(client.get("/v1/posts/export", params={"q": '"open'}, headers=h), 400, "query_syntax")
    assert_error(client.get("/v1/posts/export", params={"format": "xlsx"}, headers=h), 422)
    assert_error(client.get("/v1/posts/export", params={"sort": "relevance"}, headers=h), 422)


def _docs(n: int) -> list[IndexDocument]:
    base = datetime(2029, 1, 1, tzinfo=UTC)
    return [
        IndexDocument(
            id=f"p{i:07d}",
            platform="telegram",
            source_id="s",
            author_handle=f"akun{i % 97}",
            author_kind="ordinary",
            published_at=base + timedelta(seconds=i),
            fetched_at=base,
            text=f"pesan berantai nomor {i} tentang surat suara " + "kata " * 40,
        )
        for i in range(n)
    ]


def _peak(index: TantivyIndex, rows: int) -> int:
    viewer = Viewer(None, False, Pseudonymizer(b"k" * 32))
    tracemalloc.start()
    n = 0
    for chunk in export.csv_rows(viewer, export.documents(index, "", Filters(), "date", rows, page_size=200)):
        n += chunk.count(b"\n")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert n >= rows
    return peak


@pytest.mark.slow
def test_export_memory_does_not_grow_with_rows(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path / "index")
    for start in range(0, 12_000, 3000):
        index.upsert(_docs(12_000)[start : start + 3000])
    small, large = _peak(index, 1_000), _peak(index, 12_000)
    index.close()
    assert large < small * 2  # 12× the rows, (nearly) the same peak: pages are dropped as they go
