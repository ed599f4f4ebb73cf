"""``pantau import``: the two demo export files, a CSV with bad rows, JSONL with nested columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.context import RunContext
from crawlers.demo import DEMO_ROOT
from crawlers.importer import import_file
from pantau.errors import ConfigError
from pantau.records import AccountKind
from pantau.settings import Settings
from pantau.store import Store

EXPORTS = Path(__file__).parent / "fixtures" / "exports"


def ctx(settings: Settings, store: Store) -> RunContext:
    return RunContext(settings=settings, store=store, sources={})


def test_demo_instagram_export(settings: Settings, store: Store) -> None:
    path = DEMO_ROOT / "exports" / "instagram_influencers.csv"
    if not path.exists():
        pytest.skip("demo site exports not written yet")
    source, result = import_file(ctx(settings, store), str(path), platform="instagram")
    assert source.id == "import_instagram"
    assert result.bad_rows == 0 and result.stored == result.rows >= 40
    posts = [store.get_post(pid) for pid in _ids(store)]
    assert all(p.url and p.url.startswith("https://www.instagram.com/p/") for p in posts)
    kinds = {p.author.kind for p in posts}
    assert AccountKind.influencer in kinds and AccountKind.official_campaign in kinds  # from the rows
    assert all(p.published_at is not None and p.evidence_sha256 for p in posts)
    # importing the same file again adds nothing
    _, again = import_file(ctx(settings, store), str(path), platform="instagram")
    assert again.stored == 0 and again.unchanged == result.rows


def test_demo_tiktok_research_export(settings: Settings, store: Store) -> None:
    path = DEMO_ROOT / "exports" / "tiktok_research.jsonl"
    if not path.exists():
        pytest.skip("demo site exports not written yet")
    _, result = import_file(
        ctx(settings, store), str(path), platform="tiktok", source_id="tt", account_kind="influencer"
    )
    assert result.bad_rows == 0 and result.stored == result.rows >= 25
    post = store.get_post(next(iter(_ids(store))))
    assert post.url and post.url.startswith("https://www.tiktok.com/@")
    assert post.platform == "tiktok" and post.source_id == "tt"
    assert post.author.kind is AccountKind.influencer  # rows carry no account kind: the option's
    assert post.engagement.views is not None and post.published_at is not None


def test_csv_with_bad_rows_reports_each_and_keeps_the_rest(settings: Settings, store: Store) -> None:
    _, result = import_file(ctx(settings, store), str(EXPORTS / "bad_rows.csv"), platform="instagram")
    assert result.rows == 8 and result.stored == 4 and result.bad_rows == 4
    reasons = dict(result.row_errors)
    assert reasons[4].startswith("empty_text")
    assert reasons[5].startswith("no_id")
    assert "more values than columns" in reasons[7]
    assert reasons[8].startswith("duplicate")
    assert result.stats["anomaly/bad_account_kind"] == 1
    assert result.stats["anomaly/bad_date"] == 1 and result.stats["anomaly/bad_count"] == 1
    first = store.get_post(_by_pid(store)["9001"])
    assert first.hashtags == ["Pemilu2029", "iklan"] and first.tags == ["paslon-01"]
    assert first.author.kind is AccountKind.influencer
    assert store.get_post(_by_pid(store)["9007"]).published_at.year == 2024  # unix seconds
    assert "9 " not in result.as_report()["message"] and "4 bad rows" in result.as_report()["message"]


def test_jsonl_nested_columns_and_map_overrides(settings: Settings, store: Store) -> None:
    _, result = import_file(
        ctx(settings, store), str(EXPORTS / "x_export.jsonl"), platform="x", overrides=["lang=-"]
    )
    assert result.stored == 2 and result.bad_rows == 2
    assert [n for n, _ in result.row_errors] == [3, 4]
    post = store.get_post(_by_pid(store)["1880000000000000001"])
    assert post.url == "https://x.com/pemilih_cerdas/status/1880000000000000001"
    assert post.engagement.likes == 10 and post.engagement.shares == 2 and post.engagement.views == 900
    assert post.language is None  # ignored with --map lang=-
    assert post.mentions == ["kpu_demo"]


def test_bad_options_are_config_errors(settings: Settings, store: Store) -> None:
    with pytest.raises(ConfigError, match="unknown field 'teks'"):
        import_file(
            ctx(settings, store), str(EXPORTS / "x_export.jsonl"), platform="x", overrides=["text=teks"]
        )
    with pytest.raises(ConfigError, match="--account-kind 'buzzer'"):
        import_file(
            ctx(settings, store), str(EXPORTS / "x_export.jsonl"), platform="x", account_kind="buzzer"
        )
    with pytest.raises(ConfigError, match="platform"):
        import_file(ctx(settings, store), str(EXPORTS / "x_export.jsonl"), platform="myspace")
    with pytest.raises(ConfigError, match="cannot read it"):
        import_file(ctx(settings, store), str(EXPORTS / "tidak-ada.csv"), platform="x")


def _ids(store: Store) -> list[str]:
    return list(_by_pid(store).values())


def _by_pid(store: Store) -> dict[str, str]:
    from pantau.store.tables import PostRow

    with store.session() as s:
        return {row.platform_post_id: row.id for row in s.query(PostRow)}


def test_an_unreadable_csv_record_does_not_stop_the_import(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "raksasa.csv"  # one field over the CSV field limit (16 MiB)
    path.write_bytes(b"id,caption\n1,satu\n2," + b"x" * (17 * 1024 * 1024) + b"\n3,tiga\n")
    _, result = import_file(ctx(settings, store), str(path), platform="instagram")
    assert result.stored == 2 and result.bad_rows == 1
    assert result.row_errors[0][0] == 3 and "unreadable CSV" in result.row_errors[0][1]


def test_a_row_the_database_refuses_is_counted_and_the_rest_of_its_chunk_stored(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    from sqlalchemy import text

    with store.engine.begin() as conn:  # a database-side refusal, as a constraint or a full disk would be
        conn.execute(
            text(
                "CREATE TRIGGER refuse_tolak BEFORE INSERT ON posts WHEN NEW.text LIKE '%TOLAK%' "
                "BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END"
            )
        )
    rows = ["id,username,caption,timestamp"]
    rows += [f"{i},akun{i},Unggahan biasa nomor {i},2029-01-0{1 + i % 9}T08:00:00+07:00" for i in range(6)]
    rows.append("99,akun99,Unggahan ini TOLAK disimpan,2029-01-05T08:00:00+07:00")
    path = tmp_path / "refuse.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _, result = import_file(ctx(settings, store), str(path), platform="instagram")
    assert result.rows == 7 and result.stored == 6 and result.bad_rows == 1
    number, message = result.row_errors[0]
    assert message.startswith("not stored:") and "refused by test trigger" in message
    assert result.stats["errors/store"] == 1
