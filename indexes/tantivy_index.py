"""The embedded default backend: a tantivy index directory under the data directory.

Layout: ``<index_dir>/tantivy/`` holds tantivy's files and ``<index_dir>/pantau-index.json`` the schema
version they were written with. When the code's :data:`SCHEMA_VERSION` differs, the directory is
recreated empty and :attr:`TantivyIndex.rebuilt` is set; :func:`indexes.service.open_index` then marks
every stored post un-indexed so the next ``pantau process`` re-indexes them (no re-scoring needed).

Writes take tantivy's single-writer lock only while they run (or for the duration of
:meth:`TantivyIndex.writing`), so ``pantau serve`` can read while ``pantau process`` writes.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import tantivy

from indexes.analysis import stems
from indexes.base import IndexDocument, Query, SearchHit, SearchIndex, SearchResult
from indexes.cursor import Cursor, decode, encode
from indexes.highlight import snippet
from indexes.query_parser import positive_terms
from indexes.tantivy_schema import (
    FACET_FIELDS,
    SCHEMA_VERSION,
    WS_ANALYZER,
    QueryBuilder,
    build_schema,
    to_tantivy,
    ws_analyzer,
)
from indexes.tantivy_search import _count, keyed_page
from pantau.errors import SearchError
from pantau.records import utcnow

log = logging.getLogger(__name__)

META_FILE = "pantau-index.json"
WRITER_HEAP = 128 * 1024 * 1024
SNAPSHOTS = 64  # relevance pages pinned to the searcher that counted them
SNAPSHOT_TTL_S = 600.0


def read_meta(index_dir: Path) -> dict[str, Any]:
    """The metadata stored beside the index ({} when absent or unreadable)."""
    try:
        data = json.loads((index_dir / META_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class TantivyIndex(SearchIndex):
    """tantivy in a directory (``path=None``: in memory, for tests)."""

    backend = "tantivy"
    schema_version = SCHEMA_VERSION

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.rebuilt = False
        self.schema = build_schema()
        self._lock = threading.RLock()
        self._writer: tantivy.IndexWriter | None = None
        self._hold = 0
        self._snapshots: OrderedDict[str, tuple[float, tantivy.Searcher]] = OrderedDict()
        self._snapshot_seq = 0
        if path is None:
            self._index = tantivy.Index(self.schema)
        else:
            self._index = self._open_dir(path)
        self._index.register_tokenizer(WS_ANALYZER, ws_analyzer())
        self.q = QueryBuilder(self.schema)

    def _open_dir(self, path: Path) -> tantivy.Index:
        data_dir = path / "tantivy"
        meta = read_meta(path)
        if data_dir.exists() and meta.get("schema_version") != SCHEMA_VERSION:
            shutil.rmtree(data_dir)
            self.rebuilt = True
        fresh = not data_dir.exists()
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            index = tantivy.Index(self.schema, path=str(data_dir), reuse=True)
        except ValueError as exc:
            # files written with another schema under the same version number (a development build):
            # the store is the source of truth, so start over and let `process` re-index
            log.warning("tantivy index %s does not match the schema (%s): recreating it", data_dir, exc)
            shutil.rmtree(data_dir)
            data_dir.mkdir(parents=True)
            self.rebuilt = fresh = True
            index = tantivy.Index(self.schema, path=str(data_dir), reuse=True)
        except OSError as exc:
            raise SearchError(
                f"tantivy index {data_dir}: cannot open ({exc}) — check permissions and disk"
            ) from exc
        if fresh or meta.get("schema_version") != SCHEMA_VERSION:
            payload = {
                "backend": "tantivy",
                "schema_version": SCHEMA_VERSION,
                "created_at": utcnow().isoformat(),
            }
            tmp = path / (META_FILE + ".tmp")
            tmp.write_text(json.dumps(payload, indent=2), "utf-8")
            tmp.replace(path / META_FILE)
        return index

    # ------------------------------------------------------------------ writes
    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            deadline = time.monotonic() + 30
            while True:
                try:
                    self._writer = self._index.writer(WRITER_HEAP, 1)
                    break
                except ValueError as exc:
                    if time.monotonic() > deadline:
                        raise SearchError(
                            f"tantivy index {self.path}: another process holds the writer lock ({exc})"
                        ) from exc
                    time.sleep(0.2)
        return self._writer

    def _release_writer(self) -> None:
        if self._writer is not None and not self._hold:
            writer, self._writer = self._writer, None
            # let background merges finish: a writer dropped mid-merge leaves many small segments
            # behind, and every search and facet pays per segment; this also releases the lock
            writer.wait_merging_threads()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Keep the writer (and its lock) across many upserts, e.g. for one ``pantau process`` run."""
        with self._lock:
            self._hold += 1
        try:
            yield
        finally:
            with self._lock:
                self._hold -= 1
                self._release_writer()

    def _commit(self, writer: tantivy.IndexWriter) -> None:
        writer.commit()
        self._index.reload()

    def upsert(self, docs: Sequence[IndexDocument]) -> int:
        if not docs:
            return 0
        converted = [to_tantivy(d) for d in docs]
        with self._lock:
            writer = self._get_writer()
            try:
                for doc, td in zip(docs, converted, strict=True):
                    writer.delete_documents_by_term("id", doc.id)
                    writer.add_document(td)
                self._commit(writer)
            except ValueError as exc:
                writer.rollback()
                raise SearchError(f"tantivy index {self.path}: upsert failed ({exc})") from exc
            finally:
                self._release_writer()
        return len(docs)

    def delete(self, ids: Sequence[str]) -> int:
        with self._lock:
            writer = self._get_writer()
            try:
                for doc_id in ids:
                    writer.delete_documents_by_term("id", doc_id)
                self._commit(writer)
            finally:
                self._release_writer()
        return len(ids)

    def clear(self) -> None:
        with self._lock:
            writer = self._get_writer()
            try:
                writer.delete_all_documents()
                self._commit(writer)
            finally:
                self._release_writer()

    # ------------------------------------------------------------------- reads
    def _load(self, searcher: tantivy.Searcher, addr: tantivy.DocAddress) -> IndexDocument:
        raw = searcher.doc(addr).get_first("doc")
        if not isinstance(raw, bytes | str):
            raise SearchError(
                f"tantivy index {self.path}: a document has no stored body — run `pantau index rebuild`"
            )
        return IndexDocument.model_validate_json(raw)

    def _pin(self, searcher: tantivy.Searcher) -> str:
        now = time.monotonic()
        with self._lock:
            for token, (at, _) in list(self._snapshots.items()):
                if now - at > SNAPSHOT_TTL_S:
                    del self._snapshots[token]
            self._snapshot_seq += 1
            token = f"{id(self):x}.{self._snapshot_seq}"
            self._snapshots[token] = (now, searcher)
            while len(self._snapshots) > SNAPSHOTS:
                self._snapshots.popitem(last=False)
        return token

    def _searcher_for(self, cursor: Cursor | None) -> tantivy.Searcher:
        if cursor is not None and cursor.snapshot:
            with self._lock:
                pinned = self._snapshots.get(cursor.snapshot)
            if pinned is not None:
                return pinned[1]
        return self._index.searcher()

    def search(self, query: Query) -> SearchResult:
        from indexes.query_parser import parse_query

        started = time.perf_counter()
        node = parse_query(query.text)
        text_q = None if not query.text.strip() else self.q.text(node)
        base = self.q.combine(text_q, self.q.filters(query.filters))
        cursor = decode(query)
        sort = query.effective_sort
        searcher = self._searcher_for(cursor)
        try:
            if sort == "relevance":
                offset = cursor.offset if cursor else 0
                res = searcher.search(base, query.limit, count=True, offset=offset)
                total = _count(res)
                scored = [(float(score), self._load(searcher, addr)) for score, addr in res.hits]
                next_cursor = None
                if offset + len(scored) < total and scored:
                    token = cursor.snapshot if cursor and cursor.snapshot else self._pin(searcher)
                    next_cursor = encode(
                        query, Cursor(sort=sort, offset=offset + len(scored), snapshot=token)
                    )
                pairs: list[tuple[float | None, IndexDocument]] = list(scored)
            else:
                docs, total, last = keyed_page(self, searcher, base, sort, cursor, query.limit)
                pairs = [(None, d) for d in docs]
                next_cursor = encode(query, last) if last is not None else None
            facets = self._facets(searcher, base, query.facets) if query.facets else {}
        except ValueError as exc:
            raise SearchError(f"tantivy index {self.path}: search failed ({exc})") from exc
        hits = self._hits(pairs, node if query.highlight else None)
        took = (time.perf_counter() - started) * 1000
        return SearchResult(hits=hits, total=total, facets=facets, next_cursor=next_cursor, took_ms=took)

    def _hits(self, pairs: list[tuple[float | None, IndexDocument]], node: Any) -> list[SearchHit]:
        hits: list[SearchHit] = []
        stem_set, phrases = positive_terms(node) if node is not None else (set(), [])
        for score, doc in pairs:
            if node is not None:
                plain, offsets, html_ = snippet(doc.text, stem_set, phrases)
                hits.append(
                    SearchHit(
                        id=doc.id,
                        score=score,
                        document=doc,
                        snippet=plain,
                        snippet_html=html_,
                        highlights=offsets,
                    )
                )
            else:
                hits.append(SearchHit(id=doc.id, score=score, document=doc))
        return hits

    def _facets(
        self, searcher: tantivy.Searcher, base: tantivy.Query, names: list[str]
    ) -> dict[str, dict[str, int]]:
        aggs = {
            name: {"terms": {"field": FACET_FIELDS[name], "size": 1000, "segment_size": 100_000}}
            for name in dict.fromkeys(names)
        }
        result = searcher.aggregate(base, aggs)
        out: dict[str, dict[str, int]] = {}
        for name in aggs:
            buckets = result.get(name, {}).get("buckets", [])
            counts = {str(b["key"]): int(b["doc_count"]) for b in buckets}
            out[name] = dict(sorted(counts.items())) if name == "day" else counts
        return out

    def get(self, post_id: str) -> IndexDocument | None:
        searcher = self._index.searcher()
        res = searcher.search(tantivy.Query.term_query(self.schema, "id", post_id), 1, count=False)
        return self._load(searcher, res.hits[0][1]) if res.hits else None

    def similar(self, post_id: str, k: int = 10) -> list[SearchHit]:
        doc = self.get(post_id)
        if doc is None:
            return []
        Q, Oc = tantivy.Query, tantivy.Occur  # noqa: N806
        text = " ".join(stems(doc.body))
        if not text:
            return []
        mlt = Q.more_like_this_document_fields_query(
            self.schema, {"stems": [text]}, min_doc_frequency=1, min_term_frequency=1, max_query_terms=25
        )
        query = Q.boolean_query([(Oc.Must, mlt), (Oc.MustNot, Q.term_query(self.schema, "id", post_id))])
        searcher = self._index.searcher()
        res = searcher.search(query, k, count=False)
        return [
            SearchHit(id=d.id, score=float(s), document=d)
            for s, d in ((s, self._load(searcher, a)) for s, a in res.hits)
        ]

    def count(self) -> int:
        return int(self._index.searcher().num_docs)

    def size_bytes(self) -> int:
        if self.path is None:
            return 0
        return sum(p.stat().st_size for p in (self.path / "tantivy").rglob("*") if p.is_file())

    def stats(self) -> dict[str, Any]:
        searcher = self._index.searcher()
        return {
            "backend": self.backend,
            "documents": int(searcher.num_docs),
            "size_bytes": self.size_bytes(),
            "schema_version": SCHEMA_VERSION,
            "segments": int(searcher.num_segments),
            "path": str(self.path) if self.path else None,
        }

    def close(self) -> None:
        with self._lock:
            self._hold = 0
            self._writer = None
            self._snapshots.clear()
