"""Fact-check spiders: ClaimReview pages (also in @graph and lists), TurnBackHoax-style posts, and the
Google Fact Check Tools and Mafindo APIs through fakes on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

API_KEY = "kunci-uji-123"
CEKFAKTA = {
    "id": "cekfakta_uji",
    "kind": "factcheck",
    "platform": "factcheck",
    "name": "Cek Fakta Uji",
    "url": "{base_url}/cekfakta/index.html",
}
TBH = {"id": "tbh_uji", "kind": "factcheck", "platform": "factcheck", "url": "{base_url}/tbh/feed/"}
GOOGLE = {
    "id": "google_fc",
    "kind": "factcheck_api",
    "platform": "factcheck",
    "options": {"api": "google", "base_url": "{base_url}/google", "query": "pemilu"},
}
MAFINDO = {
    "id": "mafindo",
    "kind": "factcheck_api",
    "platform": "factcheck",
    "options": {"api": "mafindo", "base_url": "{base_url}/mafindo"},
}


@pytest.fixture(scope="module")
def checked(make_env: Any) -> tuple[Any, dict[str, Any]]:
    env = make_env()
    return env, env.crawl(CEKFAKTA, TBH)


def test_claimreview_pages_from_an_index(checked: Any) -> None:
    env, report = checked
    assert report["cekfakta_uji"]["status"] == "ok"
    assert report["cekfakta_uji"]["stored"] == 4  # one + @graph + a list of two; not the broken or plain page
    fcs = {
        fc.url.rsplit("/", 1)[-1]: fc for fc in env.store.list_factchecks() if fc.source_id == "cekfakta_uji"
    }
    ballot = fcs["surat-suara-tercoblos.html"]
    assert ballot.claim == "Surat suara sudah tercoblos untuk paslon 02 di gudang KPU Bekasi"
    assert ballot.rating == "Salah" and ballot.rating_normalized == "false"
    assert ballot.publisher == "Cek Fakta Uji" and ballot.claimant == "Akun Telegram Kanal Uji"
    assert ballot.appearances == ["https://t.me/kanaluji/32", "https://contoh.example/berita?id=7"]
    assert ballot.published_at.isoformat() == "2029-01-15T03:00:00+00:00"
    assert ballot.evidence_sha256
    assert fcs["subsidi-bbm.html"].rating_normalized == "misleading"  # found inside @graph
    assert fcs["daftar-klaim.html"].rating_normalized == "true"  # no words: from ratingValue 5 of 5
    assert fcs["daftar-klaim-2.html"].rating_normalized == "mixed"
    stats = env.run_stats("cekfakta_uji")
    assert stats["anomaly/bad_jsonld"] == 1
    assert stats["anomaly/no_factcheck_on_page"] == 2  # the broken page and the "about us" page


def test_turnbackhoax_posts_from_a_wordpress_feed(checked: Any) -> None:
    env, report = checked
    assert report["tbh_uji"]["stored"] == 2
    fcs = {fc.rating: fc for fc in env.store.list_factchecks() if fc.source_id == "tbh_uji"}
    salah = fcs["SALAH"]
    assert salah.claim.startswith("BREAKING!! Surat suara sudah tercoblos untuk paslon 02")
    assert salah.rating_normalized == "false" and salah.gfd_id == "GFD-2029-0042"
    assert salah.summary.startswith("Foto yang beredar adalah dokumentasi simulasi")
    assert "konten yang salah" in salah.summary  # KESIMPULAN is part of the summary
    assert salah.appearances == ["https://t.me/kanaluji/32"]
    assert salah.publisher == "TurnBackHoax Uji"
    assert salah.published_at.isoformat() == "2029-01-20T10:00:00+00:00"
    assert salah.url.endswith("/tbh/2029/01/20/salah-surat-suara-tercoblos/")
    klar = fcs["KLARIFIKASI"]
    assert klar.claim == "Debat kedua diundur ke bulan Maret." and klar.rating_normalized == "other"
    assert klar.gfd_id is None


def test_recrawl_adds_no_factchecks(checked: Any) -> None:
    env, _ = checked
    before = len(env.store.list_factchecks())
    report = env.crawl(CEKFAKTA, TBH)
    assert report["cekfakta_uji"]["stored"] == report["tbh_uji"]["stored"] == 0
    assert len(env.store.list_factchecks()) == before


def test_apis_are_skipped_without_keys(env: Any) -> None:
    report = env.crawl(GOOGLE, MAFINDO)
    assert report["google_fc"]["status"] == "skipped"
    assert "PANTAU_KEYS__GOOGLE_FACTCHECK" in report["google_fc"]["message"]
    assert report["mafindo"]["status"] == "skipped" and "PANTAU_KEYS__MAFINDO" in report["mafindo"]["message"]


def test_google_and_mafindo_apis_with_keys(env: Any) -> None:
    env.settings.keys.google_factcheck = SecretStr(API_KEY)
    env.settings.keys.mafindo = SecretStr(API_KEY)
    report = env.crawl(GOOGLE, MAFINDO)
    assert report["google_fc"]["status"] == "ok" and report["google_fc"]["stored"] == 2  # two pages
    fcs = {fc.claim: fc for fc in env.store.list_factchecks()}
    pajak = fcs["Hendra Kusumadewa berjanji menghapus pajak motor"]
    assert pajak.rating == "Salah" and pajak.rating_normalized == "false"
    assert pajak.publisher == "Periksa Fakta Uji" and pajak.url == "https://periksa.example/cek/1"
    assert fcs["PMPR didiskualifikasi"].rating_normalized == "mixed"
    assert report["mafindo"]["status"] == "ok" and report["mafindo"]["stored"] == 1
    kotak = fcs["Beredar video kotak suara kardus dibobol di TPS."]
    assert kotak.rating == "HOAKS" and kotak.rating_normalized == "false"
    assert kotak.gfd_id == "GFD-2029-0007" and kotak.appearances == ["https://x.example/status/1"]
    assert env.run_stats("mafindo")["anomaly/bad_api_row"] == 1
