"""The evidence package of a post: one zip a newsroom can attach to a report to Bawaslu.

::

    pantau-evidence-<post id>.zip
    ├── post.json             the post as pantau holds it: text, author, links, predictions with reasons,
    │                         claim matches, review history
    ├── snapshot/<sha256>.<ext>  the raw page body exactly as fetched (its name is its SHA-256)
    ├── manifest.json         every file's SHA-256 and size, the snapshot's URL, HTTP status, crawl time
    │                         and crawler version, who exported it and when
    ├── SHA256SUMS            the same hashes in ``sha256sum -c`` format
    └── BACA-SAYA.txt         how to check the package (Indonesian)

The snapshot is read from the content-addressed evidence store and its hash is checked before it is
packed, so a package never carries a snapshot that does not match its recorded SHA-256. Every export is
written to the audit log.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

from api.schemas import PostDetail
from api.services import audit
from pantau import __version__
from pantau.errors import NotFound, StoreError
from pantau.records import utcnow
from pantau.store import Store

EXTENSIONS = {
    "text/html": "html",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/rss+xml": "xml",
    "application/atom+xml": "xml",
    "text/csv": "csv",
    "text/plain": "txt",
}

README = """Paket bukti pantau untuk unggahan {post_id}

Isi paket:
- post.json: unggahan seperti disimpan pantau (teks, penulis, tautan, prediksi model beserta alasannya,
  kecocokan dengan cek fakta, riwayat verdict).
- snapshot/: isi halaman mentah persis seperti diambil crawler; nama berkasnya adalah SHA-256-nya.
- manifest.json: SHA-256 dan ukuran setiap berkas, URL snapshot, status HTTP, waktu crawl, versi crawler,
  siapa yang mengekspor dan kapan.
- SHA256SUMS: hash yang sama dalam format `sha256sum -c`.

Cara memeriksa: buka folder hasil ekstrak lalu jalankan `sha256sum -c SHA256SUMS`. Setiap baris harus
berakhir dengan "OK". Hash snapshot juga harus sama dengan "evidence.sha256" di manifest.json dan dengan
SHA-256 yang ditampilkan di halaman unggahan pantau.
"""


def _ext(content_type: str | None) -> str:
    base = (content_type or "").split(";")[0].strip().lower()
    return EXTENSIONS.get(base, "bin")


def build_package(store: Store, post: PostDetail, *, actor: str) -> tuple[str, bytes]:
    """``(file name, zip bytes)`` of ``post``'s evidence package; :class:`NotFound` when the post has no
    snapshot, :class:`StoreError` when the stored snapshot does not match its hash."""
    if post.evidence is None:
        raise NotFound(f"post {post.id!r} has no evidence snapshot to export")
    meta, raw = store.get_evidence(post.evidence.sha256)
    actual = hashlib.sha256(raw).hexdigest()
    if actual != meta.sha256:
        raise StoreError(
            f"evidence {meta.sha256}: the stored file hashes to {actual} — the snapshot is damaged"
        )
    created = utcnow()
    post_json = json.dumps(post.model_dump(mode="json"), ensure_ascii=False, indent=2).encode("utf-8")
    files: dict[str, bytes] = {
        "post.json": post_json,
        f"snapshot/{meta.sha256}.{_ext(meta.content_type)}": raw,
        "BACA-SAYA.txt": README.format(post_id=post.id).encode("utf-8"),
    }
    manifest: dict[str, Any] = {
        "format": "pantau-evidence/1",
        "post_id": post.id,
        "post_url": post.url,
        "created_at": created.isoformat(),
        "created_by": actor,
        "pantau_version": __version__,
        "evidence": {
            "sha256": meta.sha256,
            "url": meta.url,
            "http_status": meta.status,
            "fetched_at": meta.fetched_at.isoformat(),
            "crawler_version": meta.crawler_version,
            "content_type": meta.content_type,
            "size": meta.size,
        },
        "files": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in sorted(files.items())
        },
    }
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))
    files["SHA256SUMS"] = sums.encode("ascii")
    buf = io.BytesIO()
    stamp = created.timetuple()[:6]
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(f"pantau-evidence-{post.id}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    with store.session() as s:
        audit.record(
            s,
            actor=actor,
            action="evidence.export",
            object_type="post",
            object_id=post.id,
            details={
                "evidence_sha256": meta.sha256,
                "manifest_sha256": hashlib.sha256(files["manifest.json"]).hexdigest(),
            },
        )
    return f"pantau-evidence-{post.id}.zip", buf.getvalue()
