"""``pantau retention`` on a real SQLite store and evidence directory in tmp_path."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update
from typer.testing import CliRunner

from pantau import plugins
from pantau.cli import build_app
from pantau.errors import ConfigError, StoreError
from pantau.records import AccountKind, Author, FactCheck, Post, post_id, utcnow
from pantau.retention import RetentionRun, parse_days, run_retention
from pantau.settings import Settings
from pantau.store import Store
from pantau.store.tables import (
    AuditRow,
    ClaimMatchRow,
    CoordClusterRow,
    EvidenceRow,
    FactCheckRow,
    PostRow,
    PredictionRow,
    ReviewRow,
)

NOW = datetime.now(UTC).replace(microsecond=0)
OLD = NOW - timedelta(days=400)
NEW = NOW - timedelta(days=10)
runner = CliRunner()


def evidence(store: Store, body: bytes, fetched: datetime) -> str:
    """A snapshot fetched at ``fetched`` (its file's modification time too, as a real crawl leaves it)."""
    ev = store.put_evidence(
        body, url="https://contoh.id/x", status=200, fetched_at=fetched, crawler_version="t"
    )
    os.utime(store.evidence_path(ev.sha256), (fetched.timestamp(), fetched.timestamp()))
    return ev.sha256


def add_post(
    store: Store, n: int, sha: str | None, fetched: datetime, kind: AccountKind = AccountKind.ordinary
) -> str:
    post = Post(
        id=post_id("telegram", f"kanal/{n}"),
        platform="telegram",
        source_id="tg_demo",
        platform_post_id=f"kanal/{n}",
        url=f"https://t.me/kanal/{n}",
        author=Author(handle=f"akun{n}", kind=kind),
        published_at=fetched - timedelta(hours=1),
        fetched_at=fetched,
        text=f"Pesan {n}: surat suara paslon 02 sudah dicoblos, sebarkan!",
        evidence_sha256=sha,
    )
    return store.upsert_post(post).id


def review(store: Store, pid: str) -> None:
    with store.session() as s:
        s.add(ReviewRow(post_id=pid, verdict="hoax", note="cek", created_at=NOW))


def post_refs(store: Store) -> dict[str, str | None]:
    with store.session() as s:
        return {pid: sha for pid, sha in s.execute(select(PostRow.id, PostRow.evidence_sha256))}


def evidence_rows(store: Store) -> set[str]:
    with store.session() as s:
        return set(s.scalars(select(EvidenceRow.sha256)))


def files(store: Store) -> set[str]:
    return {p.name[:-3] for p in store.evidence_dir.rglob("*.gz")}


def consistent(store: Store) -> None:
    """Every reference points at a row, and every row at a file."""
    rows = evidence_rows(store)
    assert {v for v in post_refs(store).values() if v} <= rows
    with store.session() as s:
        assert {v for v in s.scalars(select(FactCheckRow.evidence_sha256)) if v} <= rows
    assert rows <= files(store)


def retention(settings: Settings, store: Store, **kw: Any) -> dict[str, Any]:
    kw.setdefault("older_than_days", 180)
    return run_retention(settings, store, now=NOW, **kw).as_dict()


@pytest.fixture
def world(settings: Settings, store: Store) -> dict[str, Any]:
    """Old and new snapshots; shared ones; a reviewed and an exported post."""
    w: dict[str, Any] = {}
    w["old"] = evidence(store, b"<html>lama</html>", OLD)
    w["new"] = evidence(store, b"<html>baru</html>", NEW)
    w["shared_old"] = evidence(store, b"<html>dibagi lama</html>", OLD)
    w["shared_recent"] = evidence(store, b"<html>dibagi, diambil lagi</html>", OLD)
    w["reviewed"] = evidence(store, b"<html>sudah diperiksa</html>", OLD)
    w["exported"] = evidence(store, b"<html>diekspor</html>", OLD)
    w["orphan_row"] = evidence(store, b"<html>tanpa rujukan</html>", OLD)
    w["p_old"] = add_post(store, 1, w["old"], OLD)
    w["p_new"] = add_post(store, 2, w["new"], NEW)
    w["p_shared_a"] = add_post(store, 3, w["shared_old"], OLD)
    w["p_shared_b"] = add_post(store, 4, w["shared_old"], OLD)
    w["p_recent_old"] = add_post(store, 5, w["shared_recent"], OLD)
    w["p_recent_new"] = add_post(store, 6, w["shared_recent"], NEW)  # re-fetched: same body, recent
    w["p_reviewed"] = add_post(store, 7, w["reviewed"], OLD)
    w["p_reviewed_twin"] = add_post(store, 8, w["reviewed"], OLD)
    w["p_exported"] = add_post(store, 9, w["exported"], OLD)
    review(store, w["p_reviewed"])
    with store.session() as s:
        s.add(
            AuditRow(
                at=NOW,
                actor="fc",
                action="evidence.export",
                object_type="post",
                object_id=w["p_exported"],
                details={},
            )
        )
    return w


def test_old_evidence_goes_new_shared_recent_and_reviewed_evidence_stays(
    settings: Settings, store: Store, world: dict[str, Any]
) -> None:
    report = retention(settings, store)
    gone = {world["old"], world["shared_old"], world["orphan_row"]}
    kept = {world["new"], world["shared_recent"], world["reviewed"], world["exported"]}
    assert evidence_rows(store) == kept
    assert files(store) == kept
    refs = post_refs(store)
    for key in ("p_old", "p_shared_a", "p_shared_b"):
        assert refs[world[key]] is None
    # a kept snapshot keeps every reference to it, reviewed or not
    assert refs[world["p_reviewed_twin"]] == world["reviewed"]
    assert refs[world["p_recent_old"]] == world["shared_recent"]
    ev = report["evidence"]
    assert ev["rows"] == ev["files"] == len(gone)
    assert ev["post_refs_cleared"] == 3
    assert ev["kept_reviewed"] == 2 and ev["kept_recent"] == 1
    assert ev["missing_files"] == 0 and report["errors"] == []
    assert report["kept_reviewed"] == 2 and report["rows"] == 3 and report["bytes"] > 0
    consistent(store)


def test_dry_run_changes_nothing_and_reports_what_the_run_does(
    settings: Settings, store: Store, world: dict[str, Any]
) -> None:
    before = (post_refs(store), evidence_rows(store), files(store))
    dry = retention(settings, store, dry_run=True)
    assert (post_refs(store), evidence_rows(store), files(store)) == before
    real = retention(settings, store)
    assert dry["dry_run"] and not real["dry_run"]
    for key in ("files", "bytes", "rows", "kept_reviewed", "evidence", "orphans"):
        assert dry[key] == real[key], key


def test_a_rerun_is_a_no_op(settings: Settings, store: Store, world: dict[str, Any]) -> None:
    retention(settings, store)
    state = (post_refs(store), evidence_rows(store), files(store))
    again = retention(settings, store)
    assert (post_refs(store), evidence_rows(store), files(store)) == state
    assert again["files"] == again["rows"] == again["bytes"] == 0
    assert again["evidence"]["kept_reviewed"] == 2


def test_a_missing_file_is_counted_not_fatal(settings: Settings, store: Store, world: dict[str, Any]) -> None:
    store.evidence_path(world["old"]).unlink()
    report = retention(settings, store)
    assert report["evidence"]["missing_files"] == 1
    assert report["evidence"]["rows"] == 3 and report["evidence"]["files"] == 2
    assert world["old"] not in evidence_rows(store)
    consistent(store)


def test_an_interrupted_run_leaves_a_consistent_store_and_the_next_run_finishes(
    settings: Settings, store: Store, world: dict[str, Any]
) -> None:
    calls: list[str] = []

    def crash(phase: str, run: RetentionRun) -> None:
        calls.append(phase)
        raise KeyboardInterrupt  # killed right after the first chunk committed, before its file went

    with pytest.raises(KeyboardInterrupt):
        run_retention(settings, store, older_than_days=180, chunk_size=1, now=NOW, after_commit=crash)
    assert calls == ["evidence"]
    # the database is consistent: one snapshot's row and references are gone, its file is an orphan
    assert len(evidence_rows(store)) == 6
    assert {v for v in post_refs(store).values() if v} <= evidence_rows(store)
    assert len(files(store)) == 7
    report = retention(settings, store, chunk_size=1)
    assert report["evidence"]["rows"] == 2 and report["orphans"]["files"] == 1
    kept = {world["new"], world["shared_recent"], world["reviewed"], world["exported"]}
    assert evidence_rows(store) == files(store) == kept
    consistent(store)


def test_a_failure_inside_a_chunk_rolls_that_chunk_back(
    settings: Settings, store: Store, world: dict[str, Any]
) -> None:
    # the database refuses to delete one snapshot's row (a real failure, after its references were cleared
    # in the same transaction): that chunk is rolled back as a whole, earlier chunks stay done
    shared = world["shared_old"]
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE DELETE ON evidence WHEN old.sha256 = "
            f"'{shared}' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
        )
    with pytest.raises(StoreError, match="disk I/O error"):
        run_retention(settings, store, older_than_days=180, chunk_size=1, now=NOW)
    refs = post_refs(store)
    assert refs[world["p_shared_a"]] == refs[world["p_shared_b"]] == shared
    assert shared in evidence_rows(store) and shared in files(store)
    consistent(store)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER refuse")
    retention(settings, store, chunk_size=1)
    assert (
        evidence_rows(store)
        == files(store)
        == {
            world["new"],
            world["shared_recent"],
            world["reviewed"],
            world["exported"],
        }
    )
    consistent(store)


def test_factcheck_evidence_references_are_cleared(settings: Settings, store: Store) -> None:
    sha = evidence(store, b"<html>cek fakta lama</html>", OLD)
    store.upsert_factcheck(FactCheck(id="fc1", claim="Surat suara dicoblos", evidence_sha256=sha))
    with store.session() as s:
        s.execute(update(FactCheckRow).values(fetched_at=OLD))
    report = retention(settings, store)
    assert report["evidence"]["factcheck_refs_cleared"] == 1
    with store.session() as s:
        row = s.get(FactCheckRow, "fc1")
        assert row is not None and row.evidence_sha256 is None and row.claim == "Surat suara dicoblos"


def test_old_orphan_files_and_temporary_files_are_swept(settings: Settings, store: Store) -> None:
    sha = evidence(store, b"<html>yatim</html>", OLD)
    with store.session() as s:
        s.execute(delete(EvidenceRow))
    fresh = evidence(store, b"<html>yatim baru</html>", NOW)  # a crawl writing right now: left alone
    with store.session() as s:
        s.execute(delete(EvidenceRow))
    tmp = store.evidence_path(sha).parent / "abc.tmp"
    tmp.write_bytes(b"x")
    os.utime(tmp, (OLD.timestamp(), OLD.timestamp()))
    report = retention(settings, store)
    assert report["orphans"]["files"] == 2
    assert files(store) == {fresh} and not tmp.exists()


def test_posts_option_deletes_old_unreviewed_posts_with_their_rows_and_index_documents(
    settings: Settings, store: Store
) -> None:
    sha = evidence(store, b"<html>lama sekali</html>", OLD)
    old = add_post(store, 1, sha, OLD)
    reviewed = add_post(store, 2, None, OLD)
    official = add_post(store, 3, None, OLD, AccountKind.official_campaign)
    recent = add_post(store, 4, None, NEW)
    review(store, reviewed)
    store.upsert_factcheck(FactCheck(id="fc1", claim="Surat suara dicoblos"))
    with store.session() as s:
        for pid in (old, reviewed, recent):
            s.add(
                PredictionRow(
                    post_id=pid, task="hoax", model_version="v1", label="hoax", score=0.9, created_at=NOW
                )
            )
        s.add(
            ClaimMatchRow(post_id=old, factcheck_id="fc1", model_version="v1", similarity=0.8, created_at=NOW)
        )
        s.add(CoordClusterRow(id="c1", sample_post_id=old, sample_text="Pesan 1", updated_at=NOW))
        s.execute(update(PostRow).values(indexed_at=NOW))
    index = plugins.service("search_index")(settings)
    try:
        index.index_posts((store.get_post(pid), None, None) for pid in (old, reviewed, official, recent))
        assert index.count() == 4
    finally:
        index.close()

    dry = retention(settings, store, posts=True, dry_run=True)
    report = retention(settings, store, posts=True)
    assert dry["posts"] == report["posts"] and dry["evidence"] == report["evidence"]
    p = report["posts"]
    assert p["rows"] == 1 and p["kept_reviewed"] == 1 and p["kept_monitored"] == 1
    assert p["predictions"] == 1 and p["claim_matches"] == 1 and p["index_documents"] == 1
    assert p["cluster_samples_cleared"] == 1
    assert report["evidence"]["rows"] == 1  # the deleted post's snapshot had no other reference
    with store.session() as s:
        assert set(s.scalars(select(PostRow.id))) == {reviewed, official, recent}
        assert s.scalar(select(func.count()).select_from(PredictionRow)) == 2
        assert s.scalar(select(func.count()).select_from(ClaimMatchRow)) == 0
        cluster = s.get(CoordClusterRow, "c1")
        assert cluster is not None and cluster.sample_text is None
    index = plugins.service("search_index")(settings)
    try:
        assert index.count() == 3 and index.get(old) is None
    finally:
        index.close()
    assert retention(settings, store, posts=True)["posts"]["rows"] == 0


@pytest.mark.parametrize(("value", "days"), [(None, 180), ("30", 30), ("30d", 30), (" 7D ", 7), (45, 45)])
def test_older_than_accepts_days(value: str | int | None, days: int) -> None:
    assert parse_days(value, 180) == days


@pytest.mark.parametrize("value", ["12x", "-3", "0", "1.5d", ""])
def test_older_than_refuses_anything_else_naming_the_value(value: str) -> None:
    with pytest.raises(ConfigError, match="--older-than"):
        parse_days(value, 180)


def test_cli_json_report_and_bad_input(data_dir: Path, settings: Settings, store: Store) -> None:
    sha = evidence(store, b"<html>lama</html>", OLD)
    add_post(store, 1, sha, OLD)
    bad = runner.invoke(build_app(), ["retention", "--older-than", "12x"])
    assert bad.exit_code == 1 and "'12x'" in bad.output
    dry = runner.invoke(build_app(), ["retention", "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["evidence"]["rows"] == 1
    assert store.status()["evidence"]["total"] == 1
    done = runner.invoke(build_app(), ["retention", "--older-than", "365d", "--json"])
    data = json.loads(done.stdout)
    assert data["rows"] == 1 and data["files"] == 1 and data["older_than_days"] == 365
    assert store.status()["evidence"]["total"] == 0


def test_status_reports_the_oldest_raw_evidence(store: Store) -> None:
    assert store.status()["evidence"]["oldest_age_days"] is None
    evidence(store, b"<html>lama</html>", OLD)
    evidence(store, b"<html>baru</html>", utcnow())
    ev = store.status()["evidence"]
    assert ev["total"] == 2 and 399 <= ev["oldest_age_days"] <= 401
    assert ev["oldest_fetched_at"].startswith(OLD.date().isoformat())
