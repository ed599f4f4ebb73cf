"""``pantau import``: export files (CSV / JSONL) of platforms without open access.

Rows go through the same normalise → validate → dedupe → store code as crawled items
(:mod:`crawlers.prepare`, ``Store.upsert_post``); the file itself is the evidence of every row. A bad
row is counted and reported with its row number and reason, never fatal. Each row is committed on its
own, so an interrupted import is simply run again (already-stored rows come back as unchanged).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawlers.context import RunContext
from crawlers.items import Fetched, PostItem
from crawlers.mappings import Mapping, mapping_for
from crawlers.prepare import normalise, validate
from crawlers.settings import user_agent
from pantau.errors import ConfigError, InvalidRecord, PantauError
from pantau.records import PLATFORMS, AccountKind, Post, Source, SourceKind, utcnow
from pantau.store.store import Stored

#: largest export file read (bytes)
MAX_IMPORT_BYTES = 512 * 1024 * 1024
#: bad rows listed one by one in the report (all are counted)
MAX_LISTED_ERRORS = 50
LIST_FIELDS = ("hashtags", "mentions", "media_urls", "links")
#: longest CSV field read (Python's default limit is 128 KiB)
MAX_CSV_FIELD = 16 * 1024 * 1024


@dataclass
class ImportResult:
    """What an import did; ``row_errors`` holds ``(row number, reason)`` for the first bad rows."""

    source_id: str
    rows: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    bad_rows: int = 0
    row_errors: list[tuple[int, str]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def as_report(self) -> dict[str, Any]:
        """The entry of this import in a crawl report."""
        message = None
        if self.row_errors:
            shown = "; ".join(f"row {n}: {reason}" for n, reason in self.row_errors[:5])
            message = f"{self.bad_rows} bad rows ({shown}{'; ...' if self.bad_rows > 5 else ''})"
        return {
            "status": "ok",
            "stored": self.stored,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dropped": self.bad_rows,
            "errors": 0,
            "message": message,
        }


def read_bytes(
    location: str,
    base_dir: Path | None,
    timeout: float = 60.0,
    agent: str = "pantau",
    resolve: dict[str, str] | None = None,
) -> bytes:
    """The file at a local path (relative to ``base_dir``) or an http(s) URL (``resolve`` maps a host
    to another address, as the source option of the same name does for crawls)."""
    parts = urlsplit(location)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        headers = {"User-Agent": agent}
        address = (resolve or {}).get(parts.netloc)
        if scheme == "http" and address:
            headers["Host"] = parts.netloc
            location = parts._replace(netloc=address).geturl()
        request = urllib.request.Request(location, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only)
                body: bytes = response.read(MAX_IMPORT_BYTES + 1)
        except OSError as exc:
            raise ConfigError(f"export file {location}: cannot download it ({exc})") from exc
    else:
        path = Path(location.removeprefix("file://")).expanduser()
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        try:
            with path.open("rb") as fh:
                body = fh.read(MAX_IMPORT_BYTES + 1)
        except OSError as exc:
            raise ConfigError(f"export file {path}: cannot read it ({exc.strerror or exc})") from exc
    if len(body) > MAX_IMPORT_BYTES:
        raise ConfigError(f"export file {location}: larger than {MAX_IMPORT_BYTES} bytes; split it")
    return body


def detect_format(location: str, body: bytes, declared: str | None = None) -> str:
    if declared:
        return declared
    name = urlsplit(location).path.lower()
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.endswith((".csv", ".tsv")):
        return "csv"
    return "jsonl" if body.lstrip()[:1] in (b"{", b"[") else "csv"


def iter_rows(body: bytes, fmt: str) -> list[tuple[int, dict[str, Any] | str]]:
    """``(row number, row)`` pairs; a row that cannot be read is a string saying why."""
    text = body.decode("utf-8-sig", errors="replace")
    rows: list[tuple[int, dict[str, Any] | str]] = []
    if fmt == "jsonl":
        stripped = text.lstrip()
        if stripped.startswith("["):  # a JSON array is accepted too
            try:
                data = json.loads(stripped)
            except ValueError as exc:
                return [(1, f"not valid JSON ({exc})")]
            return [(i, r if isinstance(r, dict) else "not a JSON object") for i, r in enumerate(data, 1)]
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                rows.append((number, f"not valid JSON ({exc.msg})"))
                continue
            rows.append((number, value if isinstance(value, dict) else "not a JSON object"))
        return rows
    header = text.split("\n", 1)[0]
    dialect = "excel-tab" if header.count("\t") > header.count(",") else "excel"
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CSV_FIELD))
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    number = 1  # row 1 is the header
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # one unreadable record; the reader goes on with the next line
            rows.append((number, f"unreadable CSV ({exc})"))
            continue
        if None in row:
            rows.append((number, f"{len(row[None])} more values than columns"))
            continue
        rows.append((number, dict(row)))
    return rows


def _get(row: dict[str, Any], column: str) -> Any:
    if column in row:
        return row[column]
    value: Any = row
    for part in column.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v) for v in value if v not in (None, "")]
    text = str(value).strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
            if isinstance(parsed, list):
                return [str(v) for v in parsed]
        except ValueError:
            pass
    return [p.strip() for p in text.replace(";", ",").replace("|", ",").split(",") if p.strip()]


def row_item(row: dict[str, Any], mapping: Mapping, source: Source, fetched: Fetched) -> PostItem:
    """A raw post from one export row; raises :class:`InvalidRecord` on a row that cannot be one."""
    values: dict[str, Any] = {}
    for column, target in mapping.columns.items():
        value = _get(row, column)
        if value not in (None, "") and target not in values:
            values[target] = value
    text = values.get("text")
    if text is not None and not isinstance(text, str):
        raise InvalidRecord(f"text is not a string (got {type(text).__name__})")
    for name in ("platform_post_id", "author_handle", "author_name"):
        if name in values:
            values[name] = str(values[name]).strip()
    if not values.get("url") and mapping.url_template:
        # a template needing a field this row lacks leaves the URL empty: the platform id keys the post
        with contextlib.suppress(KeyError, IndexError, ValueError):
            values["url"] = mapping.url_template.format(**{k: str(v) for k, v in values.items()})
    shortcode = values.pop("shortcode", None)
    if not values.get("platform_post_id") and shortcode:
        values["platform_post_id"] = str(shortcode)
    item = PostItem(source_id=source.id, platform=source.platform, text=str(text or ""), fetched=fetched)
    for name, value in values.items():
        if name == "text":
            continue
        setattr(item, name, _as_list(value) if name in LIST_FIELDS else value)
    return item


def import_source(
    ctx: RunContext, source: Source, *, base_dir: Path | None = None, overrides: list[str] | None = None
) -> ImportResult:
    """Import the export file a source names (``url``: a local path or an http(s) URL)."""
    if source.platform not in PLATFORMS:
        raise ConfigError(f"import: unknown platform {source.platform!r}; use one of {', '.join(PLATFORMS)}")
    location = str(source.url)
    resolve = source.options.get("resolve")
    body = read_bytes(
        location,
        base_dir,
        ctx.settings.crawl.timeout_s,
        user_agent(ctx.settings),
        resolve if isinstance(resolve, dict) else None,
    )
    fmt = detect_format(location, body, source.options.get("format"))
    mapping = mapping_for(source.platform, overrides or source.options.get("map"))
    evidence = ctx.store.put_evidence(
        body,
        url=location,
        status=200,
        fetched_at=utcnow(),
        crawler_version=ctx.crawler_version,
        content_type="application/x-ndjson" if fmt == "jsonl" else "text/csv",
    )
    fetched = Fetched(
        url=location, status=200, body=b"", fetched_at=evidence.fetched_at, sha256=evidence.sha256
    )
    result = ImportResult(source_id=source.id)
    counts: Counter[str] = Counter()
    seen: set[str] = set()
    chunk: list[tuple[int, Post]] = []

    def row_error(number: int, message: str) -> None:
        result.bad_rows += 1
        if len(result.row_errors) < MAX_LISTED_ERRORS:
            result.row_errors.append((number, message))

    def store_chunk() -> None:
        for stored in _store_chunk(ctx, chunk, counts, row_error):
            counts[stored.result.value] += 1
            field = _FIELD[stored.result.value]
            setattr(result, field, getattr(result, field) + 1)
        chunk.clear()

    with ctx.store.bulk_writes():  # WAL checkpoints in the background while rows are stored
        for number, row in iter_rows(body, fmt):
            result.rows += 1
            try:
                if isinstance(row, str):
                    raise InvalidRecord(row)
                item = row_item(row, mapping, source, fetched)
                for anomaly in normalise(item, ctx):
                    counts[f"anomaly/{anomaly}"] += 1
                post = validate(item)
                if not isinstance(post, Post):  # a post item validates to a post
                    raise InvalidRecord(f"not a post: {type(post).__name__}")
                if post.id in seen:
                    raise InvalidRecord("duplicate: the same post appears earlier in the file")
                seen.add(post.id)
                post.evidence_sha256 = evidence.sha256
            except InvalidRecord as exc:
                counts["dropped"] += 1
                counts[f"dropped/{str(exc).partition(':')[0]}"] += 1
                row_error(number, str(exc))
                continue
            chunk.append((number, post))
            if len(chunk) >= STORE_CHUNK:
                store_chunk()
        store_chunk()
    result.stats = dict(counts) | {"rows": result.rows, "format": fmt}
    return result


_FIELD = {"created": "stored", "updated": "updated", "unchanged": "unchanged"}
#: valid rows stored per transaction (``Store.upsert_posts``: the new ones in one insert)
STORE_CHUNK = 500


def _store_chunk(
    ctx: RunContext,
    chunk: list[tuple[int, Post]],
    counts: Counter[str],
    row_error: Callable[[int, str], None],
) -> list[Stored]:
    """Store a chunk of valid rows in one transaction; when the store refuses the chunk, row by row, so
    the one bad row is counted and skipped and the others are stored."""
    if not chunk:
        return []
    try:
        return ctx.store.upsert_posts([post for _, post in chunk])
    except PantauError:
        pass
    out: list[Stored] = []
    for number, post in chunk:
        try:
            out.append(ctx.store.upsert_post(post))
        except PantauError as exc:  # the store refused this row: count it, go on with the next
            counts["errors/store"] += 1
            row_error(number, f"not stored: {exc}")
    return out


def import_file(
    ctx: RunContext,
    location: str,
    *,
    platform: str,
    source_id: str | None = None,
    account_kind: str | None = None,
    overrides: list[str] | None = None,
    fmt: str | None = None,
) -> tuple[Source, ImportResult]:
    """Import one export file as source ``source_id`` (default ``import_<platform>``)."""
    try:
        kind = AccountKind(account_kind) if account_kind else AccountKind.unknown
    except ValueError as exc:
        raise ConfigError(
            f"--account-kind {account_kind!r}: use one of {', '.join(k.value for k in AccountKind)}"
        ) from exc
    try:
        source = Source(
            id=source_id or f"import_{platform}",
            kind=SourceKind.import_file,
            platform=platform,
            url=location,
            account_kind=kind,
            options={"format": fmt} if fmt else {},
        )
    except ValueError as exc:
        raise ConfigError(f"import: {exc}".replace("\n", " ")) from exc
    ctx.sources[source.id] = source
    ctx.store.upsert_source(source)
    run_id = ctx.store.start_crawl_run(source.id)
    try:
        result = import_source(ctx, source, overrides=overrides)
    except PantauError as exc:
        ctx.store.finish_crawl_run(
            run_id, status="error", stored=0, updated=0, dropped=0, errors=1, stats={}, message=str(exc)
        )
        raise
    report = result.as_report()
    ctx.store.finish_crawl_run(
        run_id,
        status="ok",
        stored=result.stored,
        updated=result.updated,
        dropped=result.bad_rows,
        errors=0,
        stats=result.stats,
        message=report["message"],
    )
    return source, result
