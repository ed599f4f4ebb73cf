"""The Elasticsearch backend (official client; 8.x and 9.x clusters).

Reads and writes go through the alias ``<prefix>-posts``, which points at one concrete index
``<prefix>-posts-<UTC timestamp>`` created from the index template in ``mappings/posts.json``.
``rebuild`` fills a brand-new index and swaps the alias in one atomic ``_aliases`` call, then deletes the
old index: searches never see a half-built index (zero downtime). A cluster whose live index carries an
older ``_meta.schema_version`` gets a fresh empty index swapped in and :attr:`rebuilt` set, so
:func:`indexes.service.open_index` marks every post for re-indexing.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers

from indexes import es_builders as B
from indexes.base import IndexDocument, Query, SearchHit, SearchIndex, SearchResult
from indexes.cursor import decode, encode
from indexes.highlight import snippet
from indexes.query_parser import parse_query, positive_terms
from pantau.errors import ConfigError, SearchError
from pantau.settings import Settings

BULK_RETRIES = 3


def client_options(settings: Settings) -> tuple[str, dict[str, Any]]:
    """The cluster URL and ``Elasticsearch(...)`` keyword arguments from ``settings.index``."""
    cfg = settings.index
    if not cfg.es_url:
        raise ConfigError(
            "index backend 'elasticsearch' needs PANTAU_INDEX__ES_URL, e.g. https://localhost:9200"
        )
    options: dict[str, Any] = {"retry_on_timeout": True, "max_retries": 3, "request_timeout": 30}
    if cfg.es_api_key is not None:
        options["api_key"] = cfg.es_api_key.get_secret_value()
    elif cfg.es_username and cfg.es_password is not None:
        options["basic_auth"] = (cfg.es_username, cfg.es_password.get_secret_value())
    if cfg.es_url.startswith("https"):
        options["verify_certs"] = cfg.es_verify_certs
        if cfg.es_ca_certs is not None:
            options["ca_certs"] = str(cfg.es_ca_certs)
    return cfg.es_url, options


class ElasticsearchIndex(SearchIndex):
    """Elasticsearch through an alias; see the module docstring."""

    backend = "elasticsearch"

    def __init__(self, client: Elasticsearch, prefix: str = "pantau", url: str = "") -> None:
        self.client = client
        self.prefix = prefix
        self.url = url
        self.alias = B.alias_name(prefix)
        self.schema_version = B.schema_version()
        self.rebuilt = False
        self._call(self._ensure)

    @classmethod
    def from_settings(cls, settings: Settings) -> ElasticsearchIndex:
        """A client for ``settings.index`` (URL, basic auth or API key, CA bundle, verification)."""
        url, options = client_options(settings)
        return cls(Elasticsearch(url, **options), settings.index.es_index_prefix, url)

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (ApiError, TransportError) as exc:
            raise SearchError(f"Elasticsearch at {self.url or 'the configured URL'}: {exc}") from exc

    # ------------------------------------------------------------- lifecycle
    def _new_index_name(self) -> str:
        return f"{self.alias}-{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"

    def _live_indices(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    def _create_index(self) -> str:
        name = self._new_index_name()
        self.client.indices.create(index=name)
        return name

    def _ensure(self) -> None:
        self.client.indices.put_index_template(
            name=B.template_name(self.prefix), **B.template_request(self.prefix)
        )
        live = self._live_indices()
        if not live:
            name = self._create_index()
            self.client.indices.update_aliases(actions=B.alias_swap_actions(self.alias, name, []))
            return
        meta = self.client.indices.get_mapping(index=live[0]).body[live[0]]["mappings"].get("_meta", {})
        if meta.get("schema_version") != self.schema_version:
            name = self._create_index()
            self.client.indices.update_aliases(actions=B.alias_swap_actions(self.alias, name, live))
            self.client.indices.delete(index=",".join(live))
            self.rebuilt = True

    # ---------------------------------------------------------------- writes
    def _bulk(self, index: str, docs: Sequence[IndexDocument], refresh: bool = True) -> int:
        ok, errors = helpers.bulk(
            self.client,
            B.bulk_actions(index, list(docs)),
            max_retries=BULK_RETRIES,
            initial_backoff=1,
            raise_on_error=False,
            refresh="wait_for" if refresh else False,
        )
        if isinstance(errors, list) and errors:
            raise SearchError(
                f"Elasticsearch bulk indexing: {len(errors)} documents failed, first: {errors[0]}"
            )
        return int(ok)

    def upsert(self, docs: Sequence[IndexDocument]) -> int:
        if not docs:
            return 0
        return int(self._call(self._bulk, self.alias, docs))

    def delete(self, ids: Sequence[str]) -> int:
        if not ids:
            return 0
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": i} for i in ids]
        self._call(helpers.bulk, self.client, actions, raise_on_error=False, refresh="wait_for")
        return len(ids)

    def clear(self) -> None:
        self._call(
            self.client.delete_by_query,
            index=self.alias,
            query={"match_all": {}},
            refresh=True,
            conflicts="proceed",
        )

    def rebuild(self, docs: Iterable[Sequence[IndexDocument]]) -> int:
        """Fill a new index, then swap the alias to it atomically and drop the old one (zero downtime)."""
        live = self._call(self._live_indices)
        name = self._call(self._create_index)
        n = 0
        try:
            for batch in docs:
                n += self._call(self._bulk, name, batch, False)
            self._call(self.client.indices.refresh, index=name)
        except BaseException:
            self.client.indices.delete(index=name, ignore_unavailable=True)
            raise
        self._call(self.client.indices.update_aliases, actions=B.alias_swap_actions(self.alias, name, live))
        if live:
            self._call(self.client.indices.delete, index=",".join(live), ignore_unavailable=True)
        return n

    # ----------------------------------------------------------------- reads
    def search(self, query: Query) -> SearchResult:
        started = time.perf_counter()
        node = parse_query(query.text)
        cursor = decode(query)
        pit = cursor.snapshot if cursor is not None else None
        if pit is None and query.effective_sort == "relevance":
            pit = self._call(
                self.client.open_point_in_time, index=self.alias, keep_alive=B.PIT_KEEP_ALIVE
            ).body["id"]
        body = B.search_body(query, node, cursor, pit)
        # a search in a point in time names no index: the PIT pins it
        target = {} if pit is not None else {"index": self.alias}
        resp = self._call(self.client.search, **target, **body).body
        pairs, total, facets, nxt = B.read_response(query, resp)
        stem_set, phrases = positive_terms(node)
        hits = []
        for score, doc in pairs:
            if query.highlight:
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
        took = (time.perf_counter() - started) * 1000
        return SearchResult(
            hits=hits,
            total=total,
            facets=facets,
            next_cursor=encode(query, nxt) if nxt else None,
            took_ms=took,
        )

    def get(self, post_id: str) -> IndexDocument | None:
        try:
            resp = self.client.get(index=self.alias, id=post_id)
        except NotFoundError:
            return None
        except (ApiError, TransportError) as exc:
            raise SearchError(f"Elasticsearch at {self.url}: {exc}") from exc
        return B.document_of(resp.body["_source"])

    def similar(self, post_id: str, k: int = 10) -> list[SearchHit]:
        doc = self.get(post_id)
        if doc is None:
            return []
        resp = self._call(self.client.search, index=self.alias, **B.similar_body(doc, self.alias, k)).body
        return [
            SearchHit(id=h["_id"], score=h.get("_score"), document=B.document_of(h["_source"]))
            for h in resp["hits"]["hits"]
            if h["_id"] != post_id
        ]

    def count(self) -> int:
        return int(self._call(self.client.count, index=self.alias).body["count"])

    def stats(self) -> dict[str, Any]:
        live = self._call(self._live_indices)
        size = 0
        if live:
            body = self._call(self.client.indices.stats, index=",".join(live), metric="store").body
            size = int(body["_all"]["primaries"]["store"]["size_in_bytes"])
        return {
            "backend": self.backend,
            "documents": self.count(),
            "size_bytes": size,
            "schema_version": self.schema_version,
            "alias": self.alias,
            "indices": live,
        }

    def close(self) -> None:
        self.client.close()
