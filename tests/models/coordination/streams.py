"""Small hand-built streams for the coordination tests (posts written here, nothing generated at random
except where a seed is fixed)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from pantau.records import AccountKind, Author, Post, post_id

T0 = datetime(2029, 2, 1, 8, 0, tzinfo=UTC)

SCRIPT = (
    "Pak Hendra sudah terbukti bekerja untuk rakyat kecil, harga beras turun dan bansos lancar sampai "
    "ke desa. Jangan ragu lagi, pilih yang sudah pasti bekerja! #HendraLanjut"
)
HEADLINE = "KPU umumkan jadwal debat ketiga calon presiden di Jakarta pekan depan"
LINK = "https://berita.example.id/2029/debat-ketiga"
FILLERS = ["mantap", "setuju", "🔥🔥", "ayo", "gas"]


def post(
    key: str,
    text: str,
    account: str,
    at: datetime,
    *,
    platform: str = "x",
    links: list[str] | None = None,
    forwarded_from: str | None = None,
    kind: AccountKind = AccountKind.unknown,
) -> Post:
    return Post(
        id=post_id(platform, key),
        platform=platform,
        source_id="import_test",
        platform_post_id=key,
        author=Author(handle=account, kind=kind),
        published_at=at,
        text=text,
        links=links or [],
        forwarded_from=forwarded_from,
    )


def paraphrase(text: str, rng: random.Random) -> str:
    """A light paraphrase: a filler word inserted, a word dropped or its case changed."""
    words = text.split()
    for _ in range(rng.randint(0, 2)):
        i = rng.randrange(len(words))
        op = rng.random()
        if op < 0.4:
            words.insert(i, rng.choice(FILLERS))
        elif op < 0.6 and len(words) > 12:
            del words[i]
        else:
            words[i] = words[i].upper()
    return " ".join(words)


def campaign(
    n_accounts: int = 20,
    spread: timedelta = timedelta(minutes=5),
    *,
    prefix: str = "buzz",
    start: datetime = T0,
    script: str = SCRIPT,
    seed: int = 1,
    kind: AccountKind = AccountKind.unknown,
) -> list[Post]:
    """``n_accounts`` accounts posting light paraphrases of ``script`` within ``spread``."""
    rng = random.Random(seed)
    step = spread / max(n_accounts - 1, 1)
    return [
        post(f"{prefix}-{i}", paraphrase(script, rng), f"{prefix}{i}", start + step * i, kind=kind)
        for i in range(n_accounts)
    ]


def news_shares(
    n: int = 40, over: timedelta = timedelta(days=1), start: datetime = T0, prefix: str = "reader"
) -> list[Post]:
    """``n`` people sharing one article (headline + link, the share button's text) over ``over``."""
    step = over / n
    return [
        post(f"{prefix}-{i}", f"{HEADLINE} {LINK}", f"{prefix}{i}", start + step * i, links=[LINK])
        for i in range(n)
    ]


def chatter(n: int = 30, start: datetime = T0, seed: int = 3) -> list[Post]:
    """Unrelated ordinary posts."""
    rng = random.Random(seed)
    words = [
        "hari",
        "ini",
        "macet",
        "banget",
        "di",
        "jalan",
        "tol",
        "kantor",
        "hujan",
        "deras",
        "kopi",
        "pagi",
        "harga",
        "cabai",
        "naik",
        "pasar",
        "ramai",
        "nonton",
        "bola",
        "timnas",
        "menang",
        "lagi",
        "anak",
        "sekolah",
        "libur",
        "panjang",
        "mudik",
        "kampung",
        "halaman",
        "rindu",
        "ibu",
    ]
    return [
        post(f"chat-{i}", " ".join(rng.choices(words, k=14)), f"warga{i}", start + timedelta(minutes=7 * i))
        for i in range(n)
    ]
