"""The ``crawl`` service: crawl configured sources into the store and report per source.

``crawl(settings, store, source_ids=None, sources_file=None) -> dict[str, dict]``

Web sources run in a child process (:mod:`crawlers.run`) because Twisted's reactor cannot be restarted,
so ``crawl`` can be called any number of times from one process (tests, ``pantau up``). Import sources
(kind ``import``) are imported here, through the same normalise / validate / store code. Each source and
each run is recorded (``Store.upsert_source``, ``start_crawl_run`` / ``finish_crawl_run``).

With no ids named, an admin's on/off switch from the web admin (``Store.source_switches``) wins over
``enabled`` in sources.yaml; a switched-off source is reported ``skipped`` with a message saying so.
Named ids are crawled whatever the switches say.

The report maps each source id to ``{"status": "ok" | "error" | "skipped", "stored", "updated",
"unchanged", "dropped", "errors", "message"}``.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import select

from crawlers.context import RunContext
from crawlers.sources import load_sources, select_sources, sources_file_for
from pantau.errors import ConfigError, CrawlError, PantauError
from pantau.records import Source, SourceKind
from pantau.settings import Settings, get_settings
from pantau.store import Store
from pantau.store.tables import CrawlRunRow

log = logging.getLogger(__name__)

PID_FILE = "crawl.pid"
SWITCHED_OFF = (
    "switched off in the admin page (/admin) — not crawled; switch it on there, or name it "
    "(pantau crawl {id}) to crawl it anyway"
)
SETTINGS_KEYS = {
    "google": "PANTAU_KEYS__GOOGLE_FACTCHECK",
    "mafindo": "PANTAU_KEYS__MAFINDO",
}


def crawl(
    settings: Settings,
    store: Store,
    source_ids: list[str] | None = None,
    sources_file: Path | None = None,
) -> dict[str, dict[str, Any]]:
    """Crawl the named sources (default: every enabled one) of ``sources_file``; see the module doc."""
    path = sources_file_for(settings, sources_file)
    sources = load_sources(path)
    report: dict[str, dict[str, Any]] = {}
    if source_ids:
        selected = select_sources(sources, source_ids, path)  # named: crawled whatever the switches say
    else:
        selected, off = switched(sources, store.source_switches())
        for source in off:
            store.upsert_source(source)
            report[source.id] = _empty("skipped", SWITCHED_OFF.format(id=source.id))
    if not selected:
        return report
    for source in selected:
        store.upsert_source(source)
    web = [s for s in selected if s.kind is not SourceKind.import_file]
    imports = [s for s in selected if s.kind is SourceKind.import_file]
    if web:
        run_ids = {s.id: store.start_crawl_run(s.id) for s in web}
        results, crash = _run_child(settings, store, web, _checkpoints(store, web))
        for source in web:
            entry, stats, checkpoint = _entry(source, results.get(source.id), crash)
            report[source.id] = entry
            _finish(store, run_ids[source.id], entry, {**stats, "checkpoint": checkpoint})
    if imports:
        from crawlers.importer import import_source

        ctx = RunContext(settings=settings, store=store, sources={s.id: s for s in selected})
        for source in imports:
            run_id = store.start_crawl_run(source.id)
            try:
                result = import_source(ctx, source, base_dir=path.parent)
                entry = result.as_report()
            except PantauError as exc:
                entry = _empty("error", str(exc))
                result = None
            report[source.id] = entry
            _finish(store, run_id, entry, result.stats if result else {})
    return report


def switched(sources: list[Source], switches: dict[str, bool]) -> tuple[list[Source], list[Source]]:
    """The sources a crawl of "every enabled source" runs, and those it skips because an admin switched
    them off. The admin's switch (``Store.source_switches``) wins over ``enabled`` in sources.yaml both
    ways: switched on runs a source sources.yaml disables, switched off skips one it enables."""
    run = [s for s in sources if switches.get(s.id, s.enabled)]
    off = [s for s in sources if s.enabled and switches.get(s.id) is False]
    return run, off


def _empty(status: str, message: str | None) -> dict[str, Any]:
    return {
        "status": status,
        "stored": 0,
        "updated": 0,
        "unchanged": 0,
        "dropped": 0,
        "errors": 0,
        "message": message,
    }


def _finish(store: Store, run_id: int, entry: dict[str, Any], stats: dict[str, Any]) -> None:
    store.finish_crawl_run(
        run_id,
        status=entry["status"],
        stored=entry["stored"],
        updated=entry["updated"],
        dropped=entry["dropped"],
        errors=entry["errors"],
        stats=stats,
        message=entry["message"],
    )


def _entry(
    source: Source, result: dict[str, Any] | None, crash: str | None
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The report entry, the pantau stats and the checkpoint of one source's crawl."""
    if result is None:
        return _empty("error", crash or f"source {source.id!r}: the crawler reported nothing"), {}, {}
    stats: dict[str, Any] = result.get("stats", {})
    pantau = {k.removeprefix("pantau/"): v for k, v in stats.items() if k.startswith("pantau/")}
    exceptions = sum(
        int(v)
        for k, v in stats.items()
        if k.startswith("spider_exceptions/") and k != "spider_exceptions/count"
    )
    errors = sum(int(v) for k, v in pantau.items() if k.startswith("errors/")) + exceptions
    entry = {
        "status": "ok",
        "stored": int(pantau.get("created", 0)),
        "updated": int(pantau.get("updated", 0)),
        "unchanged": int(pantau.get("unchanged", 0)) + int(pantau.get("duplicate_in_run", 0)),
        "dropped": int(pantau.get("dropped", 0)),
        "errors": errors,
        "message": None,
    }
    message = crash or result.get("failure")
    if message:
        entry.update(status="error", message=message)
    elif pantau.get("skipped/no_key"):
        api = str(source.options.get("api"))
        entry.update(
            status="skipped", message=f"no API key: set {SETTINGS_KEYS.get(api, 'the key')} to enable"
        )
    elif result.get("finish_reason") not in ("finished", None):
        entry.update(status="error", message=f"crawl ended early: {result.get('finish_reason')}")
    pantau["finish_reason"] = result.get("finish_reason")
    checkpoint = result.get("checkpoint") or {}
    # a checkpoint lets the next crawl stop early, so only a clean crawl may leave one
    clean = entry["status"] == "ok" and entry["errors"] == 0
    return entry, pantau, checkpoint if clean else {}


def _checkpoints(store: Store, sources: list[Source]) -> dict[str, dict[str, Any]]:
    """The checkpoint of each source's last *completed* (status ok) crawl."""
    out: dict[str, dict[str, Any]] = {}
    with store.session() as s:
        for source in sources:
            stmt = (
                select(CrawlRunRow.stats)
                .where(CrawlRunRow.source_id == source.id, CrawlRunRow.status == "ok")
                .order_by(CrawlRunRow.id.desc())
                .limit(1)
            )
            stats = s.scalars(stmt).first() or {}
            checkpoint = stats.get("checkpoint") if isinstance(stats, dict) else None
            if isinstance(checkpoint, dict) and checkpoint:
                out[source.id] = checkpoint
    return out


def _settings_payload(settings: Settings) -> dict[str, Any]:
    # secrets travel to the child in a private temp file, never on the command line
    data = settings.model_dump(mode="python")
    text = json.dumps(
        data,
        default=lambda o: o.get_secret_value() if isinstance(o, SecretStr) else str(o),
        ensure_ascii=False,
    )
    payload: dict[str, Any] = json.loads(text)
    payload["data_dir"] = str(settings.data_dir.resolve())
    return payload


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _run_child(
    settings: Settings, store: Store, sources: list[Source], checkpoints: dict[str, dict[str, Any]]
) -> tuple[dict[str, Any], str | None]:
    """Run :mod:`crawlers.run` on ``sources``; returns its report and, if it died, why."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    pid_file = settings.data_dir / PID_FILE
    if pid_file.exists():
        try:
            other = int(pid_file.read_text().strip() or 0)
        except ValueError:
            other = 0
        if other and _pid_alive(other):
            raise CrawlError(
                f"a crawl is already running in {settings.data_dir} (pid {other}); wait for it to end"
            )
    log_dir = settings.data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pantau-crawl-") as tmp:
        config_path, result_path = Path(tmp) / "config.json", Path(tmp) / "result.json"
        config = {
            "settings": _settings_payload(settings),
            "database_url": store.url,
            "evidence_dir": str(store.evidence_dir.resolve()),
            "sources": [s.model_dump(mode="json") for s in sources],
            "checkpoints": checkpoints,
            "result_file": str(result_path),
        }
        fd = os.open(config_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(config, fh, ensure_ascii=False)
        log_path = log_dir / "crawl.log"
        with open(log_path, "ab") as log_fh:
            try:
                child = subprocess.Popen(
                    [sys.executable, "-m", "crawlers.run", str(config_path)],
                    stdout=log_fh,
                    stderr=subprocess.STDOUT,
                    cwd=str(Path(__file__).resolve().parents[1]),
                )
            except OSError as exc:
                raise CrawlError(f"cannot start the crawler process ({exc})") from exc
            pid_file.write_text(str(child.pid))
            try:
                code = child.wait()
            except BaseException:
                child.kill()
                child.wait()
                raise
            finally:
                pid_file.unlink(missing_ok=True)
        if code != 0 or not result_path.exists():
            how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
            return {}, f"the crawler process {how}; see {log_path}"
        return json.loads(result_path.read_text(encoding="utf-8")), None


def context_for_scrapy_cli(source_id: str, kind: SourceKind) -> tuple[Source, RunContext]:
    """Source and context for ``scrapy crawl <kind> -a source_id=ID`` (development use)."""
    settings = get_settings()
    path = sources_file_for(settings)
    sources = load_sources(path)
    (source,) = select_sources(sources, [source_id], path) if source_id else (None,)
    if source is None or source.kind is not kind:
        raise ConfigError(f"pass -a source_id=<a {kind.value} source of {path}>")
    store = Store.open(settings)
    return source, RunContext(settings=settings, store=store, sources={s.id: s for s in sources})
