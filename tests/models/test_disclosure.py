"""Disclosure markers, denials and promotional cues: positives in every form and position, negatives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    # platform labels rendered as text (Instagram, TikTok, YouTube, Facebook)
    ("Kemitraan berbayar dengan @koalisi.x\nSeharian di pasar", "phrase", "kerja_sama_berbayar"),
    ("Kemitraan Berbayar bersama @partai", "phrase", "kerja_sama_berbayar"),
    ("Paid partnership · TKN Maju\nBehind the scene", "phrase", "paid_partnership"),
    ("Konten berbayar · Partai X\nKenalan sama caleg", "phrase", "konten_berbayar"),
    ("Termasuk promosi berbayar\n\nDi video ini", "phrase", "konten_berbayar"),
    ("Includes paid promotion. Today I break down", "phrase", "paid_partnership"),
    ("Konten bersponsor | PKX", "label", "label_bersponsor"),
    ("Video ini berisi promosi berbayar.", "phrase", "konten_berbayar"),
    ("Promosi berbayar\nAku nyobain", "label", "label_iklan_line"),
    ("Bersponsor\nDibayar oleh Tim Kampanye", "label", "label_iklan_line"),
    ("Pak tani, nomor 12! | Dipromosikan oleh Partai Lentera", "label", "label_dipromosikan"),
    # hashtag variants
    ("mantap #IklanPolitik", "hashtag", "hashtag_iklan"),
    ("#iklankampanye resmi", "hashtag", "hashtag_iklan"),
    ("#BrandedContent", "hashtag", "hashtag_partner"),
    ("#partner", "hashtag", "hashtag_partner"),
    ("#brandambassador", "hashtag", "hashtag_partner"),
    ("#KolaborasiBerbayar", "hashtag", "hashtag_kerjasama"),
    ("#berbayar", "hashtag", "hashtag_kerjasama"),
    ("#PaidCollab", "hashtag", "hashtag_paid"),
    ("#PaidPartner #02", "hashtag", "hashtag_paid"),
    ("#pp ya kak", "hashtag", "hashtag_paid"),
    ("#advertisement", "hashtag", "hashtag_ad"),
    ("#SponsoredPost", "hashtag", "hashtag_sponsored"),
    ("#Iklan#PMPR#Sumut", "hashtag", "hashtag_iklan"),
    # disguised: look-alikes, separators, spaced letters, stretched letters, invisible and wide characters
    ("#ikl4n", "hashtag", "hashtag_iklan"),
    ("#Ikl@n", "hashtag", "hashtag_iklan"),
    ("#sp0ns0red", "hashtag", "hashtag_sponsored"),
    ("#$ponsored", "hashtag", "hashtag_sponsored"),
    ("#3ndorse", "hashtag", "hashtag_endorse"),
    ("#i.k.l.a.n", "hashtag", "hashtag_iklan"),
    ("#p.a.i.d.p.r.o.m.o.t.e", "hashtag", "hashtag_paid"),
    ("#I K L A N #Pemilu", "hashtag", "hashtag_iklan"),
    ("#A D", "hashtag", "hashtag_ad"),
    ("# iklan", "hashtag", "hashtag_iklan"),
    ("#Iklaaan", "hashtag", "hashtag_iklan"),
    ("#iklannn", "hashtag", "hashtag_iklan"),
    ("#ik\u200blan", "hashtag", "hashtag_iklan"),
    ("#\u200biklan", "hashtag", "hashtag_iklan"),
    ("＃ｉｋｌａｎ", "hashtag", "hashtag_iklan"),
    ("#𝗶𝗸𝗹𝗮𝗻", "hashtag", "hashtag_iklan"),
    ("#𝐀𝐃", "hashtag", "hashtag_ad"),
    ("ikl4n ya guys", "label", "obfuscated_label"),
    ("[ i k l a n ] pilih yang jujur", "label", "obfuscated_label"),
    ("i.k.l.a.n", "label", "obfuscated_label"),
    ("sp0ns0red by tim", "label", "obfuscated_label"),
    # labels and prefixes
    ("[AD] Kenalan sama program", "label", "label_iklan_bracket"),
    ("(iklan politik) Mari datang ke TPS", "label", "label_iklan_bracket"),
    ("【Konten Berbayar】Aku diajak", "label", "label_iklan_bracket"),
    ("[Sponsored] launching program", "label", "label_iklan_bracket"),
    ("Jalan-jalan seru (paid partnership)", "label", "label_iklan_bracket"),
    ("[PROMOSI] Hari ini", "label", "label_iklan_bracket"),
    ("AD | Tiga menit bareng", "label", "label_iklan_line"),
    ("Ad: free school lunches", "label", "label_iklan_line"),
    ("Iklan — partai ini punya rencana", "label", "label_iklan_line"),
    ("IKLAN KAMPANYE | nomor urut 01", "phrase", "iklan_kampanye"),
    # phrases anywhere in the post
    ("Bermitra dengan Partai X, aku bikin seri konten", "phrase", "kerja_sama_tim"),
    ("In collaboration with TKN Maju", "phrase", "kerja_sama_tim"),
    ("In partnership with @brand.id", "phrase", "kerja_sama_label"),
    ("Konten ini kerja sama dengan Motoria", "phrase", "kerja_sama_label"),
    ("Video ini hasil kolaborasi dengan @timku", "phrase", "kerja_sama_label"),
    ("Konten ini merupakan kerja sama dengan Partai X (berbayar)", "phrase", "kerja_sama_tim"),
    ("aku bekerja sama dengan koalisi X", "phrase", "kerja_sama_tim"),
    ("Didukung oleh Tim Pemenangan X — live dari bazar", "phrase", "didukung_oleh"),
    ("Postingan ini dibiayai PBS.", "phrase", "didukung_oleh"),
    ("Acara ini dipersembahkan oleh @brand", "phrase", "didukung_oleh"),
    ("Kolaborasi berbayar bareng relawan", "phrase", "kerja_sama_berbayar"),
    ("collab berbayar sama brand", "phrase", "kerja_sama_berbayar"),
    ("(konten ini berbayar ya, biar jelas)", "phrase", "ini_berbayar"),
    ("Iya, postingan ini berbayar 🙏", "phrase", "ini_berbayar"),
    ("btw ini paid promote ya guys", "phrase", "ini_berbayar"),
    ("Jujur aja, ini konten sponsor dari tim", "phrase", "ini_berbayar"),
    ("post ini sponsored ya", "phrase", "ini_berbayar"),
    ("ini iklan ya guys", "phrase", "ini_berbayar"),
    ("This is a paid post for Partai X", "phrase", "ini_berbayar"),
    ("This video is sponsored by relawan", "phrase", "sponsored_by"),
    ("Paid promotion 📢 kenalan", "phrase", "paid_partnership"),
    ("Transparansi dulu: aku dibayar tim X", "phrase", "mendapat_bayaran"),
    ("Disclosure: aku menerima bayaran dari koalisi", "phrase", "mendapat_bayaran"),
    ("powered by Bank Nusa", "phrase", "sponsored_by"),
]


@pytest.mark.parametrize(("text", "kind", "name"), POSITIVES)
def test_disclosures(text: str, kind: str, name: str) -> None:
    markers = [m for m in find_disclosures(text) if m.is_disclosure]
    assert [(m.kind, m.name) for m in markers][:1] == [(kind, name)]
    marker = markers[0]
    assert text[marker.span[0] : marker.span[1]] == marker.text
    assert has_disclosure(text)


NEGATIVES = [
    # disclosure words in another sense
    "Ini iklan rokok kok lucu",
    "Iklan rokok aja dilarang di TV",
    "Sponsor utama semangat aku tiap pagi: kopi",
    "Sponsor turnamen voli tahun ini warung Pak Dullah",
    "program yang dipromosikan pemerintah daerah",
    "PSRB bermitra dengan petani di desa",
    "Hashtag #PKBMMenang trending",
    # slogans that merely look like disclosure tags
    "#IklanNyataBukanJanji",
    "#KerjaNyataBukanIklan",
    "#AdilMakmur #AdaUntukRakyat",
    "#PaidAttentionToRakyat",
    "#KerjaSamaMembangunDesa",
    "#SponsorKebaikan",
    "#AdvokasiPendidikan",
    "#Partner2029Rakyat",
    # a marker being talked about, not used
    "cek ada tulisan 'paid partnership' gak",
    "Dulu kirain 'Kemitraan berbayar' itu nama brand",
    "kenapa gak ada yang pasang #iklan?",
    "hashtag #ad itu wajib lho",
    "cek label \u201ckonten berbayar\u201d di bawah nama akun",
    # ordinary numbers and mentions are not look-alikes
    "coblos 01 tanggal 14, 2029",
    "follow @iklan_baris_id",
    "R I P pahlawan",
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
    ("#NotSponsored", "hashtag_notsponsored"),
    ("#TidakBerbayar", "hashtag_notsponsored"),
    ("#notanad", "hashtag_notsponsored"),
    ("ini bukan sponsor ya", "bukan_endorse"),
    ("bukan paid promote, bukan buzzer", "bukan_endorse"),
    ("Disclaimer: ini opini pribadi, bukan konten berbayar", "bukan_endorse"),
    ("ENGGAK, aku gak di-endorse siapa-siapa", "tidak_diendorse"),
    ("saya tidak menerima bayaran dari pihak mana pun", "tidak_menerima_uang"),
    ("aku gak dapet sepeser pun", "tidak_menerima_uang"),
    ("No paid, no endorse, tulus", "not_sponsored"),
    ("no sponsor, just vibes", "not_sponsored"),
    ("non-sponsored review", "not_sponsored"),
    ("tanpa sponsor, modal sendiri", "tanpa_dibayar"),
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


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Mampir ya ＃ｉｋｌａｎ hari ini", "＃ｉｋｌａｎ"),
        ("Ikut jalan sehat 👟 #𝗶𝗸𝗹𝗮𝗻", "#𝗶𝗸𝗹𝗮𝗻"),
        ("Ternyata jago main gitar 🎸 #ik\u200blan", "#ik\u200blan"),
        ("Seru! #I K L A N #Pemilu", "#I K L A N"),
        ("Pak tani 🌧️ | Dipromosikan oleh Partai Lentera", "Dipromosikan oleh Partai"),
    ],
)
def test_markers_are_reported_as_written(text: str, written: str) -> None:
    [marker] = [m for m in find_disclosures(text) if m.is_disclosure]
    assert marker.text == written == text[marker.span[0] : marker.span[1]]


def test_a_denial_next_to_a_real_disclosure_keeps_both() -> None:
    markers = find_disclosures("Bukan buzzer ya, tapi jujur ini paid promote 🙏 #ad")
    assert [m.kind for m in markers] == ["denial", "phrase", "hashtag"]


def test_tag_marker_reads_hashtag_bodies() -> None:
    from models.endorse.disclosure import tag_marker

    assert tag_marker("KontenBerbayar") == ("hashtag", "hashtag_kerjasama")
    assert tag_marker("GakDibayar") == ("denial", "hashtag_notsponsored")
    assert tag_marker("adidas") is None and tag_marker("nobar") is None


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    "hostile",
    [
        "#" + "a." * 10000,
        "i k " * 10000,
        "#a " * 5000,
        "konten ini " * 3000,
        "kerja sama " * 3000 + "dengan",
        "[ " * 10000,
        "#i" + ".i" * 10000,
        "ｉ" * 10000 + "\u200b" * 10000,
    ],
)
def test_disguise_handling_stays_linear(hostile: str) -> None:
    """The folding, hashtag and disguise passes are bounded on crafted input."""
    find_disclosures(hostile)
    promo_cues(hostile)


def test_runnable_patterns_are_those_the_trigger_words_allow() -> None:
    import random

    from models.endorse import disclosure

    rnd = random.Random(1)
    words = sorted(disclosure._TRIGGER_WORDS)
    for _ in range(2000):
        present = frozenset(rnd.sample(words, rnd.randint(0, 12)))
        for name, table in disclosure._TABLES.items():
            got = [p.name for p, _, _ in disclosure._runnable(name, present)]
            assert got == [p.name for p, _, t, a in table if not disclosure._skip(present, t, a)]


def _hint_by_regex(folded: str) -> bool:
    from models.endorse.disclosure import _LOOKALIKE_HINT, _SPACED_HINT

    return _LOOKALIKE_HINT.search(folded) is not None or _SPACED_HINT.search(folded) is not None


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab z0@$!|9 .-_*·\n#A", max_size=30))
def test_disguise_hint_equals_the_regexes(folded: str) -> None:
    from models.endorse.disclosure import _disguise_hint

    assert _disguise_hint(folded) == _hint_by_regex(folded)


def test_disguise_hint_equals_the_regexes_on_real_texts(real_texts: list[str]) -> None:
    from models.endorse.disclosure import _disguise_hint
    from models.endorse.textview import fold

    folded = [fold(t).text for t in real_texts]
    assert 0 < sum(map(_hint_by_regex, folded)) < len(folded)
    for text in folded:
        assert _disguise_hint(text) == _hint_by_regex(text)
