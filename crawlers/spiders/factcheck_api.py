"""Fact-check APIs that need a key: Google Fact Check Tools ``claims:search`` and Mafindo's API.

Options: ``api`` (``google`` | ``mafindo``, required), ``base_url`` (tests point it at a local fake),
``query`` (google: a string or a list of strings; default "pemilu"), ``language_code`` (default ``id``),
``max_pages`` (google pages of ``page_size`` claims, default 3), ``page_size`` (default 50), ``limit``
(mafindo: newest items asked for, default 100). Keys: ``PANTAU_KEYS__GOOGLE_FACTCHECK`` (sent in the
``X-Goog-Api-Key`` header) and ``PANTAU_KEYS__MAFINDO`` (sent in the POST body, as Mafindo asks). A source
whose key is not set is reported as skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

from scrapy import FormRequest
from scrapy.http import Response

from crawlers.html import fragment_text
from crawlers.items import FactCheckItem
from crawlers.spiders.base import SourceSpider
from pantau.records import SourceKind

GOOGLE_BASE = "https://factchecktools.googleapis.com/v1alpha1"
_TAG = re.compile(r"^\s*\[\s*([^\]]{2,40}?)\s*\]\s*")


class FactCheckApiSpider(SourceSpider):
    name = "factcheck_api"
    kind = SourceKind.factcheck_api

    def key(self) -> str | None:
        keys = self.ctx.settings.keys
        secret = keys.google_factcheck if self.option("api") == "google" else keys.mafindo
        return secret.get_secret_value() if secret is not None else None

    async def start(self) -> AsyncIterator[Any]:
        key = self.key()
        if not key:
            self.count("skipped/no_key")
            return
        if self.option("api") == "google":
            queries = self.option("query", "pemilu")
            for query in [queries] if isinstance(queries, str) else list(queries):
                yield self.google_request(str(query), None, 1)
        else:
            url = str(self.option("base_url") or self.ctx.settings.keys.mafindo_url)
            yield FormRequest(
                url,
                formdata={"key": key, "limit": str(self.option("limit", 100))},
                callback=self.parse_mafindo,
                errback=self.on_error,
                meta={"pantau_start": True},
                dont_filter=True,
            )

    def google_request(self, query: str, token: str | None, page: int) -> Any:
        params: dict[str, Any] = {
            "query": query,
            "languageCode": self.option("language_code", "id"),
            "pageSize": int(self.option("page_size", 50)),
        }
        if token:
            params["pageToken"] = token
        base = str(self.option("base_url", GOOGLE_BASE)).rstrip("/")
        return self.request(
            f"{base}/claims:search?{urlencode(params)}",
            self.parse_google,
            start=page == 1,
            headers={"X-Goog-Api-Key": self.key() or "", "Accept": "application/json"},
            cb_kwargs={"query": query, "page": page},
            dont_filter=True,
        )

    def _json(self, response: Response) -> Any:
        try:
            return json.loads(response.body)
        except ValueError:
            self.count("errors/api_bad_json")
            self.failure = f"source {self.source.id!r}: {response.url} did not answer JSON"
            return None

    def parse_google(self, response: Response, query: str, page: int) -> Iterator[Any]:
        data = self._json(response)
        if not isinstance(data, dict):
            return
        fetched = self.fetched(response)
        for claim in data.get("claims") or []:
            for review in claim.get("claimReview") or []:
                yield FactCheckItem(
                    source_id=self.source.id,
                    claim=claim.get("text") or review.get("title") or "",
                    claimant=claim.get("claimant"),
                    rating=review.get("textualRating"),
                    publisher=(review.get("publisher") or {}).get("name"),
                    url=review.get("url"),
                    published_at=review.get("reviewDate") or claim.get("claimDate"),
                    summary=review.get("title"),
                    language=review.get("languageCode") or "id",
                    fetched=fetched,
                )
        token = data.get("nextPageToken")
        if token and page < int(self.option("max_pages", 3)):
            yield self.google_request(query, token, page + 1)

    def parse_mafindo(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        data = self._json(response)
        rows = (
            data if isinstance(data, list) else (data or {}).get("data") if isinstance(data, dict) else None
        )
        if not isinstance(rows, list):
            self.count("errors/api_unexpected_shape")
            return
        fetched = self.fetched(response, url=response.url)
        for row in rows:
            if not isinstance(row, dict):
                self.count("anomaly/bad_api_row")
                continue
            title = str(row.get("title") or "")
            tag = _TAG.match(title)
            claim = fragment_text(str(row.get("content") or "")) or _TAG.sub("", title)
            summary = fragment_text(str(row.get("fact") or row.get("conclusion") or "")) or None
            references = str(row.get("references") or "") + " " + str(row.get("source_link") or "")
            yield FactCheckItem(
                source_id=self.source.id,
                claim=claim,
                rating=(tag.group(1) if tag else None) or row.get("classification"),
                publisher="Mafindo (TurnBackHoax)",
                url=row.get("url") or row.get("link"),
                published_at=row.get("tanggal"),
                appearances=re.findall(r"https?://[^\s\"'<>]+", str(row.get("source_link") or "")),
                gfd_id=_gfd(title + " " + references + " " + str(row.get("id", ""))),
                summary=summary,
                fetched=fetched,
            )


def _gfd(text: str) -> str | None:
    match = re.search(r"GFD-\d{4}-\d{1,6}", text, re.IGNORECASE)
    return match.group(0).upper() if match else None
