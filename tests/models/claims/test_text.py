"""Text preparation for claim matching: verdict tags, post boilerplate, sentence windows."""

from __future__ import annotations

import pytest

from models.claims.text import clean_post, first_words, sentence_windows, strip_rating_tags


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("[SALAH] Surat suara Pemilu 2029 sudah dicoblos", "Surat suara Pemilu 2029 sudah dicoblos"),
        ("[HOAKS] [DISINFORMASI] KPU menunda pemilu", "KPU menunda pemilu"),
        ("(HOAKS) Tinta pemilu mengandung babi", "Tinta pemilu mengandung babi"),
        ("HOAKS: Tinta pemilu mengandung babi", "Tinta pemilu mengandung babi"),
        ("Hoaks - Server KPU di luar negeri", "Server KPU di luar negeri"),
        ("[SALAH/HOAKS] Rekaman suara capres", "Rekaman suara capres"),
        ("[KONTEN YANG MENYESATKAN] Foto antrean TPS", "Foto antrean TPS"),
        ("[Menyesatkan] Video lama kerusuhan", "Video lama kerusuhan"),
        ("Video kotak suara dibakar [HOAKS]", "Video kotak suara dibakar"),
    ],
)
def test_verdict_tags_come_off_headlines(headline: str, expected: str) -> None:
    assert strip_rating_tags(headline) == expected


@pytest.mark.parametrize(
    "headline",
    [
        "Salah Paham Soal Tinta Pemilu",  # a word, not a tag
        "Klarifikasi Polri Terkait Isu Penculikan",  # no tag syntax
        "Pemilih Salah Coblos Bisa Minta Surat Suara Baru",
        "Surat Suara (Contoh) Beredar di Media Sosial",  # bracketed words that are not verdicts
    ],
)
def test_headlines_without_tags_stay(headline: str) -> None:
    assert strip_rating_tags(headline) == headline


def test_a_headline_that_is_only_a_tag_is_kept() -> None:
    assert strip_rating_tags("[SALAH]") == "[SALAH]"
    assert strip_rating_tags("   ") == ""


def test_post_boilerplate_is_removed_and_the_claim_stays() -> None:
    post = (
        "Assalamualaikum wr wb. [HOAKS?] 🙏🙏🙏 Surat suara udah dicoblos duluan!!! "
        "https://bit.ly/abc123 Sebarkan ke semua grup! Forwarded as received"
    )
    cleaned = clean_post(post)
    assert "Surat suara udah dicoblos duluan" in cleaned
    for gone in ("Assalamualaikum", "🙏", "bit.ly", "Sebarkan", "Forwarded", "wr wb"):
        assert gone not in cleaned
    assert clean_post("[VIRAL] KPU menunda pemilu, copas dari grup sebelah") == "KPU menunda pemilu,"


def test_clean_post_keeps_line_breaks_and_never_empties() -> None:
    assert clean_post("Halo   semua\n\n tinta  babi\n") == "Halo semua\ntinta babi"
    assert clean_post("sebarkan!") == "sebarkan!"
    assert clean_post("") == ""


def test_clean_post_is_linear_on_a_hostile_token() -> None:
    hostile = "a." * 50_000 + "com"  # many dots and no slash: must not backtrack quadratically
    assert clean_post(hostile)


def test_sentence_windows_group_short_sentences_and_cut_long_ones() -> None:
    short = "Satu dua tiga. Empat lima enam."
    assert sentence_windows(short) == [short]
    text = " ".join(f"Kalimat nomor {i} berisi lima kata." for i in range(20))  # 100 words, 20 sentences
    windows = sentence_windows(text, 20, 60)
    assert len(windows) == 5
    assert all(20 <= len(w.split()) <= 60 for w in windows)
    assert " ".join(windows).split() == text.split()
    one_sentence = " ".join(["kata"] * 150)
    pieces = sentence_windows(one_sentence, 20, 60)
    assert all(len(p.split()) <= 60 for p in pieces) and len(pieces) >= 3
    assert sentence_windows("a b c\n\nd e f", 2, 5) == ["a b c", "d e f"]


def test_sentence_windows_fold_a_short_tail_into_the_last_window() -> None:
    text = " ".join(["kata"] * 25) + ". Ya."
    assert sentence_windows(text, 20, 60) == [text]


def test_sentence_windows_reject_bad_bounds() -> None:
    with pytest.raises(ValueError, match="low"):
        sentence_windows("x", 10, 5)


def test_first_words() -> None:
    assert first_words("a b c d", 2) == "a b"
    assert first_words("a b", 40) == "a b"
