"""Disclosure markers, denials and promotional cues: positives in every form and position, negatives."""

from __future__ import annotations

import pytest

from models.endorse.disclosure import (
    DENIALS,
    DISCLOSURES,
    PROMO_CUES,
    find_disclosures,
    has_disclosure,
    promo_cues,
)

POSITIVES = [
    # (text, kind, pattern name)
    ("Makasih @tokobaju! #ad", "hashtag", "hashtag_ad"),
    ("#AD outfit hari ini", "hashtag", "hashtag_ad"),
    ("Seru banget acaranya #Ads", "hashtag", "hashtag_ad"),
    ("#iklan Pilih yang jujur", "hashtag", "hashtag_iklan"),
    ("pilih yang jujur #IKLAN", "hashtag", "hashtag_iklan"),
    ("#sponsored", "hashtag", "hashtag_sponsored"),
    ("Mantap #sponsor.", "hashtag", "hashtag_sponsored"),
    ("#paidpromote ya kak", "hashtag", "hashtag_paid"),
    ("#PaidPartnership", "hashtag", "hashtag_paid"),
    ("#endorse", "hashtag", "hashtag_endorse"),
    ("bajunya keren #Endorsement", "hashtag", "hashtag_endorse"),
    ("#kerjasama dengan relawan", "hashtag", "hashtag_kerjasama"),
    ("Paid partnership with timpemenangan", "phrase", "paid_partnership"),
    ("PAID  PARTNERSHIP with @koalisi", "phrase", "paid_partnership"),
    ("Video ini kerja sama berbayar dengan @tim_x", "phrase", "kerja_sama_berbayar"),
    ("kerjasama berbayar", "phrase", "kerja_sama_berbayar"),
    ("Kerja-sama  berbayar ya", "phrase", "kerja_sama_berbayar"),
    ("Konten ini disponsori oleh Koalisi X", "phrase", "disponsori_oleh"),
    ("disponsori @brand", "phrase", "disponsori_oleh"),
    ("Video ini didukung oleh relawan resmi", "phrase", "didukung_oleh"),
    ("Iklan kampanye: saatnya berubah", "phrase", "iklan_kampanye"),
    ("IKLAN POLITIK\nsaatnya berubah", "phrase", "iklan_kampanye"),
    ("Ini adalah iklan kampanye", "phrase", "iklan_kampanye"),
    ("iklan politik resmi dari tim", "phrase", "iklan_kampanye"),
    ("[Iklan] Pilih yang jujur", "label", "label_iklan_bracket"),
    ("Pilih yang jujur (iklan)", "label", "label_iklan_bracket"),
    ("Iklan: pilih yang jujur", "label", "label_iklan_line"),
    ("Bersponsor", "label", "label_bersponsor"),
    ("Ini konten berbayar ya guys", "phrase", "konten_berbayar"),
    ("Saya bekerja sama dengan tim pemenangan", "phrase", "kerja_sama_tim"),
    ("bekerjasama dengan tim kampanye", "phrase", "kerja_sama_tim"),
    ("video ini dibayar oleh partai", "phrase", "dibayar_oleh"),
    ("sponsored by @brand", "phrase", "sponsored_by"),
]


@pytest.mark.parametrize(("text", "kind", "name"), POSITIVES)
def test_disclosures(text: str, kind: str, name: str) -> None:
    markers = [m for m in find_disclosures(text) if m.is_disclosure]
    assert [(m.kind, m.name) for m in markers][:1] == [(kind, name)]
    marker = markers[0]
    assert text[marker.span[0] : marker.span[1]] == marker.text
    assert has_disclosure(text)


NEGATIVES = [
    "iklan di TV semalam jelek",
    "iklan kampanye di TV semalam jelek banget",
    "adidas baru #adidas",
    "bad#ad",
    "#adalah kata",
    "#iklanku lucu",
    "capres itu didukung oleh rakyat",
    "kami bekerja sama dengan warga",
    "#kolaborasi bareng teman",
    "sponsornya siapa ya?",
    "",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_disclosure(text: str) -> None:
    assert not has_disclosure(text), find_disclosures(text)


DENIAL_CASES = [
    ("ini bukan endorse ya", "bukan_endorse"),
    ("BUKAN IKLAN", "bukan_endorse"),
    ("bukan #iklan", "bukan_endorse"),
    ("gak dibayar sama sekali", "tidak_dibayar"),
    ("sumpah ga dibayar", "tidak_dibayar"),
    ("tidak ada yang bayar saya", "tidak_dibayar"),
    ("murni dari hati", "murni_dari_hati"),
    ("tanpa dibayar", "tanpa_dibayar"),
    ("not sponsored, just love it", "not_sponsored"),
    ("#bukanendorse", "hashtag_notsponsored"),
]


@pytest.mark.parametrize(("text", "name"), DENIAL_CASES)
def test_denials_are_never_disclosures(text: str, name: str) -> None:
    markers = find_disclosures(text)
    assert [m.name for m in markers if m.kind == "denial"][:1] == [name]
    assert not has_disclosure(text)


def test_disclosure_and_denial_in_one_post_are_both_reported() -> None:
    markers = find_disclosures("Bukan endorse kok... eh #ad deh")
    assert {m.kind for m in markers} == {"denial", "hashtag"}


def test_positions_are_in_text_order() -> None:
    markers = find_disclosures("#ad di awal, [Iklan] di tengah, dan #sponsored di akhir")
    assert [m.name for m in markers] == ["hashtag_ad", "label_iklan_bracket", "hashtag_sponsored"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Yuk dukung terus!", "call_to_action"),
        ("jangan lupa coblos ya", "call_to_action"),
        ("pilih nomor dua", "call_to_action"),
        ("link di bio", "link"),
        ("cek bio buat info", "link"),
        ("GIVEAWAY pulsa!", "giveaway"),
        ("tag 3 teman kamu", "giveaway"),
        ("#PilihRaka2029", "campaign_hashtag"),
        ("#Pilih<kandidat>", "campaign_hashtag"),
        ("#kolaborasi", "campaign_hashtag"),
        ("promo diskon hari ini", "commercial"),
    ],
)
def test_promo_cues(text: str, kind: str) -> None:
    assert kind in {c.kind for c in promo_cues(text)}


def test_no_cues_in_plain_text() -> None:
    assert promo_cues("Hari ini hujan deras di Bandung.") == []


def test_tables_have_unique_names_and_known_kinds() -> None:
    for table, kinds in ((DISCLOSURES, {"hashtag", "phrase", "label"}), (DENIALS, {"denial"})):
        names = [p.name for p in table]
        assert len(names) == len(set(names))
        assert {p.kind for p in table} <= kinds
    assert len({p.name for p in PROMO_CUES}) == len(PROMO_CUES)
