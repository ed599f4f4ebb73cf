"""Language identification restricted to Indonesian, Malay and English."""

from __future__ import annotations

import pytest

from models.text.langid import detect, detect_one


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Saya tidak percaya berita itu, KPU sudah membantahnya kemarin sore.", "id"),
        ("Jangan lupa datang ke TPS ya, bawa KTP elektronik kalian semua.", "id"),
        ("gk tau deh yg bener gmn, katanya pemilu diundur", "id"),
        ("Kerajaan akan mengumumkan bajet baharu minggu hadapan, kata Perdana Menteri.", "ms"),
        ("Saya nak pergi ke kedai sekejap, awak tunggu sini boleh?", "ms"),
        ("The election commission denied the rumour on Monday evening.", "en"),
        ("This video was taken years ago and has nothing to do with the vote.", "en"),
        ("", "und"),
        ("wkwk", "und"),
        ("👍👍 https://contoh.com @budi", "und"),
    ],
)
def test_detect(text: str, code: str) -> None:
    assert detect_one(text) == code


def test_batch_keeps_order() -> None:
    texts = ["The vote was postponed.", "Pemungutan suara ditunda minggu depan.", "ok"]
    assert detect(texts) == ["en", "id", "und"]


@pytest.mark.parametrize(
    "text",
    [
        "Saya tidak percaya berita itu, KPU sudah membantahnya kemarin sore.",
        "Jangan lupa datang ke TPS ya, bawa KTP elektronik kalian semua.",
        "Kerajaan akan mengumumkan bajet baharu minggu hadapan, kata Perdana Menteri.",
        "Saya nak pergi ke kedai sekejap, awak tunggu sini boleh?",
        "The election commission denied the rumour on Monday evening.",
        "Ini video lama yang diunggah ulang, bukan kejadian kemarin. " * 30,
    ],
)
def test_shortcut_agrees_with_full_lingua_on_clear_cases(text: str) -> None:
    assert detect([text]) == detect([text], shortcut=False)


def test_shortcut_answers_clear_indonesian_without_lingua() -> None:
    from models.text.langid import _clearly_indonesian

    assert _clearly_indonesian("saya tidak percaya berita itu dan kpu sudah membantahnya")
    assert not _clearly_indonesian("saya nak pergi ke kedai dan awak tunggu sini")  # Malay words: ask lingua
    assert not _clearly_indonesian("the election commission and the police said it is not true di sini")
    assert not _clearly_indonesian("Prabowo Gibran Baliho")  # no function words: ask lingua
