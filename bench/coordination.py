"""Benchmark: find injected buzzer campaigns in a realistic organic stream (issue 8).

    .venv/bin/python bench/coordination.py                 # 1,000,000 posts
    .venv/bin/python bench/coordination.py --posts 100000

The organic stream (seeded, Indonesian vocabulary with Zipf word use, a Zipf activity curve over many
accounts, a day/night rhythm over ``--days`` days) holds the hard cases for false alarms:

- news articles shared by many people with the share button's headline + link, over hours;
- retweets of popular posts (``RT @user: …``, ``forwarded_from``) and quotes, spread over hours;
- chain messages ("Sebarkan!") copied by hundreds of accounts with small edits over a day or two;
- greetings and one-liners ("Selamat pagi …", "Aamiin") that many post every morning;
- popular hashtags on ordinary chatter; one account repeating its own promo.

Into it go ``--campaigns`` synthetic coordinated campaigns: a script with light paraphrase (swapped
synonyms, dropped or added filler words, emoji, case, hashtags, mentions) posted by 20–200 accounts of a
buzzer pool within 2–15 minutes, some across platforms. The stream runs through the clustering engine in
time order, in batches, exactly as ``pantau process`` feeds the coordinator (minus SQL), and prints one
JSON object: ``precision`` and ``recall`` of campaigns, ``false_alarms_per_million`` (organic posts in a
coordinated cluster, per million organic posts), ``posts_per_s`` (clustering + scoring throughput).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.coordination.clusters import ClusterEngine, PostInput  # noqa: E402
from models.coordination.config import CoordinationConfig  # noqa: E402
from models.coordination.coordination import estimate_window  # noqa: E402
from models.coordination.coordinator import Coordinator  # noqa: E402
from pantau.records import Author, Post  # noqa: E402
from pantau.settings import Settings  # noqa: E402
from pantau.store import Store  # noqa: E402
from pantau.store.store import _post_row  # noqa: E402

BASE_WORDS = (  # noqa: SIM905  (a readable word list)
    "yang dan di ini itu dengan untuk tidak dari dalam akan pada juga saya ke karena ada mereka kita "
    "bisa sudah sebagai orang kami lebih oleh atau saat jadi hanya banyak harus tahun masih tapi baru "
    "kalau belum apa semua lagi seperti bagi hari kata sangat dia setelah bahwa anak sama bukan waktu "
    "gak aja banget udah deh sih nih dong kok emang bgt yg tdk klo gimana kayak mau pengen lihat "
    "pemilu presiden paslon calon capres cawapres kampanye relawan pendukung suara surat kotak tps kpu "
    "bawaslu hitung cepat rekapitulasi curang menang kalah debat visi misi program janji rakyat negara "
    "pemerintah daerah desa kota provinsi jakarta bandung surabaya medan makassar semarang harga beras "
    "minyak listrik bbm subsidi bansos pajak utang ekonomi kerja lapangan pekerjaan pendidikan sekolah "
    "guru kesehatan rumah sakit bpjs jalan tol infrastruktur petani nelayan buruh pedagang umkm pasar "
    "hoaks berita fitnah isu viral video foto akun media sosial netizen warganet tiktok twitter "
    "partai koalisi dukungan survei elektabilitas pilih memilih coblos golput generasi muda milenial "
    "ibu bapak keluarga teman tetangga kampung warga masyarakat bangsa indonesia nusantara maju "
    "sejahtera adil makmur damai aman rusuh demo aksi polisi tni hukum korupsi kpk sidang putusan "
    "hakim mahkamah konstitusi sengketa hasil resmi jadwal tahapan logistik pemungutan penghitungan "
    "makan pagi siang malam hujan macet kantor libur gaji bayar murah mahal naik turun baik buruk "
    "benar salah bohong jujur bagus keren mantap parah kasihan sedih senang marah takut berani "
    "tolong semoga terima kasih selamat doa allah ramadan lebaran mudik kopi nasi motor mobil "
    "sepak bola timnas main nonton film lagu konser artis seleb drama kuliah kampus mahasiswa ujian"
).split()
PREFIXES = ("me", "di", "ber", "ter", "pe", "ke")
SUFFIXES = ("kan", "an", "nya", "i", "lah", "pun")
NAMES = ("Raka", "Sinta", "Hendra", "Fajar", "Lestari", "Bagus", "PSRB", "PKBM", "PBS", "PLB", "PKD")
POPULAR_TAGS = [
    "Pemilu2029",
    "PemiluDamai",
    "KawalSuara",
    "Debat2029",
    "IndonesiaMaju",
    "InfoPemilu",
    "CekFakta",
    "TolakHoaks",
    "Paslon01",
    "Paslon02",
    "Paslon03",
    "RakaSinta",
    "HendraFajar",
    "LestariBagus",
    "BansosTepatSasaran",
    "HargaBeras",
    "Viral",
    "FYP",
    "Trending",
    "Jakarta",
    "KPU",
    "Bawaslu",
    "QuickCount",
    "SuaraRakyat",
]
GREETINGS = (
    "Selamat pagi semua",
    "Selamat pagi, semoga hari ini penuh berkah",
    "Pagi semuanya, semangat kerja",
    "Selamat pagi Indonesia, jangan lupa sarapan",
    "Met pagi guys",
    "Selamat malam, selamat istirahat",
    "Aamiin ya Allah",
    "Mantap",
    "Setuju banget",
    "Terima kasih infonya",
    "Semangat pagi, jangan lupa bersyukur dan tetap sehat",
    "Selamat pagi, semoga sehat selalu dan rezeki lancar untuk kita semua",
    "Jumat berkah, jangan lupa sedekah hari ini",
    "Wkwkwk ngakak",
    "Hadir",
    "Pagi pagi udah macet aja",
)
SYNONYMS = {
    "sudah": "udah",
    "tidak": "gak",
    "sangat": "banget",
    "bapak": "pak",
    "untuk": "buat",
    "hanya": "cuma",
    "saja": "aja",
    "benar": "bener",
    "terbukti": "nyata",
    "pasti": "jelas",
    "rakyat": "masyarakat",
    "memilih": "milih",
    "bersama": "bareng",
    "sekarang": "kini",
}
FILLERS = ("mantap", "setuju", "🔥🔥", "👍", "ayo", "gas", "!!", "💯", "yuk", "bismillah")
PLATFORMS = ("x", "facebook", "instagram", "tiktok", "telegram", "youtube")


def vocabulary(rng: np.random.Generator, size: int) -> list[str]:
    """Base words plus affixed forms, in a random Zipf rank order."""
    words = list(dict.fromkeys(BASE_WORDS))
    stems = [w for w in words if len(w) > 3]
    while len(words) < size:
        stem = stems[int(rng.integers(len(stems)))]
        form = stem
        if rng.random() < 0.5:
            form = PREFIXES[int(rng.integers(len(PREFIXES)))] + form
        if rng.random() < 0.7:
            form = form + SUFFIXES[int(rng.integers(len(SUFFIXES)))]
        if form != stem:
            words.append(form)
    head, tail = words[:60], words[60:]
    rng.shuffle(tail)  # function words stay frequent, the rest gets a random rank
    return head + tail


class Stream:
    """Seeded generator of the organic stream and the campaigns."""

    def __init__(self, n: int, days: int, campaigns: int, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.n, self.days, self.n_campaigns = n, days, campaigns
        self.vocab = vocabulary(self.rng, 8000)
        ranks = np.arange(1, len(self.vocab) + 1)
        self.word_p = 1.0 / ranks**1.07
        self.word_p /= self.word_p.sum()
        self.n_accounts = max(2000, n // 5)
        act = 1.0 / np.arange(1, self.n_accounts + 1) ** 0.9
        self.account_p = act / act.sum()
        self.span = days * 86400.0
        self.posts: list[tuple[float, PostInput, int]] = []  # (time, post, campaign or -1)
        self._i = 0

    # ------------------------------------------------------------------ pieces
    def words(self, k: int) -> str:
        idx = self.rng.choice(len(self.vocab), size=k, p=self.word_p)
        return " ".join(self.vocab[i] for i in idx)

    def diurnal_times(self, k: int) -> np.ndarray:
        """Times with a day/night rhythm (quiet 0–5 h, peaks morning and evening)."""
        day = self.rng.integers(0, self.days, size=k)
        hour = np.clip(self.rng.normal(np.where(self.rng.random(k) < 0.45, 9.0, 20.0), 3.5), 0, 23.99)
        return day * 86400.0 + hour * 3600.0

    def accounts(self, k: int) -> np.ndarray:
        return self.rng.choice(self.n_accounts, size=k, p=self.account_p)

    def add(
        self,
        t: float,
        text: str,
        account: str,
        campaign: int = -1,
        *,
        platform: str | None = None,
        links: tuple[str, ...] = (),
        forwarded: str | None = None,
    ) -> None:
        self._i += 1
        plat = platform or ("x" if self.rng.random() < 0.6 else PLATFORMS[int(self.rng.integers(1, 6))])
        self.posts.append(
            (
                float(t),
                PostInput(f"p{self._i}", text, f"{plat}:{account}", plat, float(t), links, (), forwarded),
                campaign,
            )
        )

    # ------------------------------------------------------------------ organic
    def chatter(self, k: int) -> None:
        times, accs = self.diurnal_times(k), self.accounts(k)
        lengths = np.clip(self.rng.lognormal(2.6, 0.6, size=k).astype(int), 2, 60)
        for t, a, ln in zip(times, accs, lengths, strict=True):
            text = self.words(int(ln))
            if self.rng.random() < 0.25:
                tags = self.rng.choice(
                    len(POPULAR_TAGS), size=int(self.rng.integers(1, 3)), p=_zipf(len(POPULAR_TAGS))
                )
                text += " " + " ".join("#" + POPULAR_TAGS[i] for i in tags)
            if self.rng.random() < 0.1:
                text = f"@u{int(self.rng.integers(self.n_accounts))} " + text
            self.add(t, text, f"u{a}")

    def news_shares(self, k: int) -> None:
        n_articles = max(50, k // 40)
        counts = _zipf_counts(self.rng, n_articles, k)
        for art, c in enumerate(counts):
            headline = self.words(int(self.rng.integers(8, 15))).capitalize()
            link = f"https://berita{art % 40}.example.id/{2029}/{art}/{headline.split()[0]}-{art}"
            t0 = float(self.rng.uniform(0, self.span))
            delays = self.rng.exponential(2 * 3600.0, size=c)
            for d, a in zip(delays, self.accounts(c), strict=True):
                text = headline if self.rng.random() < 0.6 else self.words(int(self.rng.integers(3, 12)))
                self.add(t0 + d, f"{text} {link}", f"u{a}", links=(link,))

    def retweets(self, k: int, quotes: int) -> None:
        n_orig = max(50, k // 60)
        counts = _zipf_counts(self.rng, n_orig, k)
        quote_counts = _zipf_counts(self.rng, n_orig, quotes)
        for o, (c, qc) in enumerate(zip(counts, quote_counts, strict=True)):
            author = f"u{int(self.accounts(1)[0])}"
            text = self.words(int(self.rng.integers(10, 40)))
            t0 = float(self.rng.uniform(0, self.span))
            self.add(t0, text, author)
            for d, a in zip(self.rng.lognormal(8.0, 1.2, size=c), self.accounts(c), strict=True):
                self.add(t0 + d, f"RT @{author}: {text}", f"u{a}", platform="x", forwarded=author)
            status = f"https://x.com/{author}/status/{o}"
            for d, a in zip(self.rng.lognormal(8.2, 1.2, size=qc), self.accounts(qc), strict=True):
                self.add(
                    t0 + d,
                    f"{self.words(int(self.rng.integers(3, 15)))} {status}",
                    f"u{a}",
                    platform="x",
                    links=(status,),
                )

    def chain_messages(self, k: int) -> None:
        n_chains = max(5, k // 300)
        counts = _zipf_counts(self.rng, n_chains, k)
        for c in counts:
            body = (
                "Sebarkan! Info penting: "
                + self.words(int(self.rng.integers(25, 50)))
                + ". Jangan berhenti di kamu"
            )
            t0 = float(self.rng.uniform(0, self.span))
            delays = np.cumsum(self.rng.exponential(36 * 3600.0 / max(c, 1), size=c))
            for d, a in zip(delays, self.accounts(c), strict=True):
                self.add(
                    t0 + d,
                    self.paraphrase(body, light=True),
                    f"u{a}",
                    platform="telegram" if self.rng.random() < 0.5 else "facebook",
                )

    def greetings(self, k: int) -> None:
        times = self.diurnal_times(k)
        for t, a in zip(times, self.accounts(k), strict=True):
            g = GREETINGS[int(self.rng.integers(len(GREETINGS)))]
            if self.rng.random() < 0.3:
                g += " " + FILLERS[int(self.rng.integers(len(FILLERS)))]
            self.add(t, g, f"u{a}")

    def self_spam(self, k: int) -> None:
        per = 40
        for _ in range(max(1, k // per)):
            account = f"u{int(self.accounts(1)[0])}"
            promo = "Promo kaos kampanye murah, order sekarang " + self.words(8)
            t0 = float(self.rng.uniform(0, self.span))
            for j in range(per):
                self.add(t0 + j * 120.0, promo, account, platform="instagram")

    # ------------------------------------------------------------------ campaigns
    def paraphrase(self, script: str, light: bool = False) -> str:
        words = script.split()
        for _ in range(int(self.rng.integers(0, 2 if light else 4))):
            op = self.rng.random()
            i = int(self.rng.integers(len(words)))
            if op < 0.35 and words[i].lower() in SYNONYMS:
                words[i] = SYNONYMS[words[i].lower()]
            elif op < 0.55 and len(words) > 12:
                del words[i]
            elif op < 0.8:
                words.insert(i, FILLERS[int(self.rng.integers(len(FILLERS)))])
            else:
                words[i] = words[i].upper() if self.rng.random() < 0.5 else words[i].capitalize()
        if not light and self.rng.random() < 0.3:
            words.append("#" + POPULAR_TAGS[int(self.rng.integers(len(POPULAR_TAGS)))])
        if not light and self.rng.random() < 0.15:
            words.insert(0, f"@u{int(self.rng.integers(self.n_accounts))}")
        return " ".join(words)

    def campaigns(self) -> None:
        pool = [f"buzz{i}" for i in range(max(500, self.n_campaigns * 40))]
        for c in range(self.n_campaigns):
            who = NAMES[c % len(NAMES)]
            script = (
                f"{who} sudah terbukti bekerja untuk rakyat, "
                + self.words(int(self.rng.integers(14, 28)))
                + f". Jangan ragu, dukung {who} sekarang! #{who}Lanjut{c}"
            )
            k = int(np.exp(self.rng.uniform(np.log(20), np.log(200))))
            accounts = self.rng.choice(len(pool), size=k, replace=False)
            start = float(self.rng.uniform(0, self.span))
            spread = float(self.rng.uniform(120, 900))
            multi = self.rng.random() < 0.3
            for a in accounts:
                plat = PLATFORMS[int(self.rng.integers(0, 4))] if multi else "x"
                self.add(
                    start + float(self.rng.uniform(0, spread)),
                    self.paraphrase(script),
                    pool[a],
                    c,
                    platform=plat,
                )

    def build(self) -> list[tuple[float, PostInput, int]]:
        campaign_posts = 0
        self.campaigns()
        campaign_posts = len(self.posts)
        organic = max(0, self.n - campaign_posts)
        self.news_shares(int(organic * 0.12))
        self.retweets(int(organic * 0.12), int(organic * 0.03))
        self.chain_messages(int(organic * 0.04))
        self.greetings(int(organic * 0.05))
        self.self_spam(int(organic * 0.02))
        self.chatter(max(0, self.n - len(self.posts)))
        self.posts.sort(key=lambda x: x[0])
        return self.posts


def _zipf(n: int) -> np.ndarray:
    p = 1.0 / np.arange(1, n + 1)
    return p / p.sum()


def _zipf_counts(rng: np.random.Generator, n: int, total: int) -> list[int]:
    """``total`` items spread over ``n`` groups with Zipf sizes (the largest groups get thousands)."""
    if total <= 0:
        return [0] * n
    return list(np.bincount(rng.choice(n, size=total, p=_zipf(n)), minlength=n).tolist())


def run(args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.perf_counter()
    campaigns = args.campaigns or max(10, args.posts // 20000)
    stream = Stream(args.posts, args.days, campaigns, args.seed).build()
    gen_s = time.perf_counter() - t0
    with_store = store_throughput(stream, args.store_posts, 256) if args.store_posts else None
    config = CoordinationConfig()
    engine = ClusterEngine(config)
    t1, c1 = time.perf_counter(), time.process_time()
    scored: dict[int, bool] = {}
    for start in range(0, len(stream), args.batch):
        batch = [p for _, p, _ in stream[start : start + args.batch]]
        roots, _, merged = engine.add(batch)
        for gone in merged:
            scored.pop(gone, None)
        for root in {engine.root(r) for r in roots}:
            scored[root] = engine.coordination(root).coordinated
    cluster_s, cluster_cpu_s = time.perf_counter() - t1, time.process_time() - c1
    label = {p.post_id: c for _, p, c in stream}
    coordinated_roots = [r for r, flag in scored.items() if flag and engine.root(r) == r]
    campaign_sizes = Counter(c for _, _, c in stream if c >= 0)
    detected_posts: Counter[int] = Counter()
    true_clusters = 0
    organic_flagged = 0
    for r in coordinated_roots:
        labels = Counter(label[engine.post_ids[i]] for i in engine.members[r])
        majority, _ = labels.most_common(1)[0]
        organic_flagged += labels.get(-1, 0)
        if majority >= 0:
            true_clusters += 1
            detected_posts[majority] += labels[majority]
    # margin: the organic clusters that came closest (burst of min_accounts or more, not concentrated)
    near = []
    for r, members in engine.members.items():
        big = len(members) >= config.min_accounts and engine.root(r) == r and r not in coordinated_roots
        if big and all(label[engine.post_ids[i]] < 0 for i in members):
            result = engine.coordination(r)
            if result.burst is not None and result.burst.accounts >= config.min_accounts:
                near.append(result.burst.concentration)
    detected = sum(1 for c, n in campaign_sizes.items() if detected_posts[c] >= 0.5 * n)
    n_organic = sum(1 for _, _, c in stream if c < 0)
    window = estimate_window(
        ([engine.post_time[i] for i in m], [engine.post_account[i] for i in m])
        for r, m in engine.members.items()
        if len(m) >= 2
    )
    return {
        "posts": len(stream),
        "organic_posts": n_organic,
        "campaigns": len(campaign_sizes),
        "campaign_posts": sum(campaign_sizes.values()),
        "precision": round(true_clusters / len(coordinated_roots), 4) if coordinated_roots else 1.0,
        "recall": round(detected / len(campaign_sizes), 4) if campaign_sizes else 1.0,
        "false_alarms_per_million": round(organic_flagged / max(n_organic, 1) * 1e6, 1),
        "posts_per_s": round(len(stream) / cluster_s, 1),
        "posts_per_cpu_s": round(len(stream) / cluster_cpu_s, 1),
        "coordinated_clusters": len(coordinated_roots),
        "organic_bursts_over_min_accounts": len(near),
        "organic_max_concentration": round(max(near), 3) if near else None,
        "organic_posts_in_coordinated_clusters": organic_flagged,
        "clusters_2plus": sum(1 for m in engine.members.values() if len(m) >= 2),
        "nodes": len(engine.node_words),
        "estimated_window_s_p10": window,
        "config": {
            k: v
            for k, v in config.model_dump().items()
            if k in ("window_s", "min_accounts", "min_concentration", "threshold", "num_perm", "bands")
        },
        "seconds": {
            "generate": round(gen_s, 1),
            "cluster": round(cluster_s, 1),
            "cluster_cpu": round(cluster_cpu_s, 1),
        },
        "with_store": with_store,
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def store_throughput(stream: list[tuple[float, PostInput, int]], n: int, batch: int) -> dict[str, Any]:
    """Posts/s of the whole :class:`Coordinator` (clustering + SQLite writes + narratives, lexical
    vectors) on the first ``n`` posts of the stream, fed in ``pantau process``-sized batches."""
    posts = [
        Post(
            id=p.post_id,
            platform=p.platform,
            source_id="bench",
            platform_post_id=p.post_id,
            author=Author(handle=p.account.split(":", 1)[1]),
            published_at=datetime.fromtimestamp(1_900_000_000 + p.time, UTC),
            text=p.text,
            links=list(p.links),
            forwarded_from=p.forwarded_from,
        )
        for _, p, _ in stream[:n]
    ]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), models={"embedder": "none"})
        store = Store.open(settings)
        try:
            now = datetime.now(UTC)
            with store.session() as s:
                s.add_all(_post_row(p, now) for p in posts)
            coordinator = Coordinator.open(settings, store)
            t, c = time.perf_counter(), time.process_time()
            for start in range(0, len(posts), batch):
                coordinator.update(posts[start : start + batch])
            seconds, cpu = time.perf_counter() - t, time.process_time() - c
        finally:
            store.close()
    return {
        "posts": len(posts),
        "batch": batch,
        "posts_per_s": round(len(posts) / seconds, 1),
        "posts_per_cpu_s": round(len(posts) / cpu, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000, help="stream size, campaigns included")
    parser.add_argument("--campaigns", type=int, default=0, help="injected campaigns (default posts/20000)")
    parser.add_argument("--days", type=int, default=14, help="days the organic stream spans")
    parser.add_argument("--batch", type=int, default=1000, help="posts per clustering batch")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument(
        "--store-posts", type=int, default=0, help="also time the Coordinator with SQLite on this many posts"
    )
    print(json.dumps(run(parser.parse_args())))


if __name__ == "__main__":
    main()
