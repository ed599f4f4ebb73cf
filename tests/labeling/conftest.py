"""Fixtures for labelling tests: users of each role and processed posts with predictions, in a real store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from pantau.records import Author, Post, post_id
from pantau.store import Store
from pantau.store.tables import PredictionRow, UserRow

T0 = datetime(2029, 2, 1, 8, 0, tzinfo=UTC)

TOPICS = [
    "surat suara sudah dicoblos sebelum hari pemungutan di gudang KPU",
    "server KPU diretas hacker asing dan hasil sudah diatur",
    "tinta pemilu mengandung zat berbahaya bagi kesehatan",
    "bansos dibagikan dengan syarat memilih paslon tertentu",
    "jadwal debat capres dipindah ke bulan depan",
    "KPU mengimbau pemilih memeriksa DPT lewat situs resmi",
    "Bawaslu membuka posko pengaduan di setiap kecamatan",
    "rekapitulasi suara tingkat kabupaten berjalan lancar",
]


def add_user(store: Store, name: str, role: str = "volunteer", *, disabled: bool = False) -> int:
    with store.session() as s:
        row = UserRow(name=name, role=role, created_at=T0, disabled=disabled)
        s.add(row)
        s.flush()
        return row.id


def add_posts(
    store: Store,
    n: int,
    *,
    task: str = "hoax",
    start: int = 0,
    author_kind: str = "ordinary",
    score: Callable[[int], float] | None = None,
) -> list[str]:
    """``n`` posts with one ``task`` prediction each; returns their ids."""
    ids = []
    with store.session() as s:
        for i in range(start, start + n):
            post = Post(
                id=post_id("telegram", f"chan/{i}"),
                platform="telegram",
                source_id="tg_demo",
                platform_post_id=f"chan/{i}",
                url=f"https://t.me/warga_{i}/{i}",
                author=Author(handle=f"warga_{i}", display_name=f"Warga {i}", kind=author_kind),  # type: ignore[arg-type]
                published_at=T0 + timedelta(minutes=i),
                text=f"Pesan {i}: katanya {TOPICS[i % len(TOPICS)]} (varian {i // len(TOPICS)})",
            )
            store.upsert_post(post, s)
            p = score(i) if score else (i % 11) / 10
            s.add(
                PredictionRow(
                    post_id=post.id,
                    task=task,
                    model_version=f"{task}-test-1",
                    label="hoax" if p >= 0.5 else "not_hoax",
                    score=p,
                    probabilities={},
                    reasons=[],
                    created_at=T0,
                )
            )
            ids.append(post.id)
    return ids


@pytest.fixture
def volunteers(store: Store) -> list[int]:
    return [add_user(store, f"relawan{i}") for i in range(5)]
