"""Neutrality: swapping candidate and party names across the configured lists moves no score > 0.05.

The shipped default models (trained from the seed corpus) score ~40 posts that name candidates and parties;
every name is then rotated through the configured lists (paslon 01 → 02 → 03 → 01 with the same role:
president to president, alias to alias; party to party, abbreviation to abbreviation) and ballot numbers
with them, and each post is scored again.
"""

from __future__ import annotations

import re

import pytest

from models.registry import Registry
from pantau.election import Election

TOLERANCE = 0.05

POSTS = [
    "SEBARKAN!!! Raka Wiratama ketahuan bagi-bagi amplop di pasar, videonya dihapus",
    "Hendra Kusumadewa janji gratiskan listrik kalau menang, cek faktanya di situs KPU",
    "Viral! Lestari Anggraini disebut punya kewarganegaraan ganda. Teruskan ke grup!",
    "Debat semalam: Raka Wiratama dan Sinta Maharani fokus pada lapangan kerja",
    "KPU: tidak ada surat suara yang tercoblos untuk paslon 01 di gudang logistik",
    "Awas hoaks! Foto Pak Hendra bersama bandar narkoba itu hasil suntingan",
    "Heboh, Bu Lestari katanya mau hapus subsidi BBM. Benarkah? Ini penjelasannya",
    "Mas Fajar Alamsyah kunjungi pasar tradisional dan dengar keluhan pedagang",
    "Bagus Pranoto: pendidikan gratis sampai SMA adalah prioritas kami",
    "Survei: elektabilitas Raka-Sinta naik tipis, Hendra-Fajar stabil, Lestari-Bagus turun",
    "Guys aku udah lama ngikutin Raka Wiratama, programnya keren! Yuk dukung, link di bio",
    "Jangan lupa coblos 02 ya! Pak Hendra paling peduli anak muda #HendraFajar",
    "Konten ini kerja sama berbayar dengan tim pemenangan Lestari Anggraini #iklan",
    "Menurutku visi Bu Sinta soal kesehatan paling masuk akal, kalian gimana?",
    "Pagi semua! Hari ini aku ikut kampanye Lestari-Bagus di lapangan, seru banget",
    "Ini bukan endorse ya, murni dari hati: pilih Raka Wiratama! #RakaSinta",
    "Makasih tim Hendra Kusumadewa udah ngundang aku diskusi soal UMKM, programnya oke",
    "Pokoknya 03 all in! Mas Bagus orangnya merakyat banget",
    "PSRB resmi mendukung Raka Wiratama sebagai calon presiden",
    "Kader PKBM dilaporkan ke Bawaslu karena kampanye di tempat ibadah",
    "TERBONGKAR!!! PBS terima dana asing untuk kampanye, sebarkan sebelum dihapus",
    "PLB dan PKD sepakat membentuk koalisi untuk mengusung Hendra Kusumadewa",
    "Caleg PMPR bagi-bagi sembako di Bekasi, Bawaslu turun tangan",
    "Partai Suara Rakyat Baru membantah isu mahar politik",
    "Yuk dukung Partai Karya Bangsa Mandiri nomor urut 7! Link pendaftaran relawan di bio",
    "Video ini disponsori oleh Partai Bintang Samudra #ad",
    "Aku gak suka kalau PLB dapat jatah menteri terlalu banyak, oposisi butuh penyeimbang",
    "Awas! Server KPU dibobol, suara Lestari Anggraini digelembungkan jutaan",
    "Tinta pemilu mengandung babi kata pendukung Hendra, jangan mau dicelup!!!",
    "Raka Wiratama: kami tidak pernah menjanjikan bantuan tunai, itu hoaks",
    "Hendra Kusumadewa dan PSRB diisukan bagi uang, Bawaslu: belum ada laporan",
    "Kenapa Bu Lestari diam saja soal kasus korupsi di daerahnya? Ada yang tahu?",
    "Akhirnya nonton debat Raka vs Hendra vs Lestari, semua saling serang",
    "[Iklan] Tim kampanye Raka Wiratama mengajak warga datang ke TPS #sponsored",
    "Relawan Lestari-Bagus galang donasi untuk korban banjir Demak",
    "Giveaway! Follow akun relawan Hendra-Fajar dan tag 3 teman, ada saldo e-wallet",
    "Pesan berantai: coblos 01 dapat sembako gratis dari PSRB. Jangan percaya!",
    "PKD tegaskan tidak ada kader yang menerima uang dari tim Lestari Anggraini",
    "Mantap, Mas Fajar dan Bu Sinta hadir di acara jalan sehat PMPR",
    "Beredar video Bagus Pranoto marah-marah ke wartawan, ternyata potongan lama",
]


def _rotation(election: Election) -> dict[str, str]:
    """Each configured name → the name in the same position of the next entity of the same kind."""
    mapping: dict[str, str] = {}
    for group in (election.candidates, election.parties):
        for i, entity in enumerate(group):
            target = group[(i + 1) % len(group)]
            for name, other in zip(entity.names, target.names, strict=False):
                mapping[name] = other
            if entity.ballot_number is not None and target.ballot_number is not None:
                for fmt in ("{:02d}", "nomor urut {}"):
                    mapping[fmt.format(entity.ballot_number)] = fmt.format(target.ballot_number)
    return mapping


def rotate(text: str, mapping: dict[str, str]) -> str:
    names = sorted(mapping, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n in names) + r")(?![a-z])")
    return pattern.sub(lambda m: mapping[m.group(1)], text)


@pytest.fixture(scope="module")
def default_models(default_models_dir):
    """The shipped defaults, as ``ensure_default`` trained them from the seed corpus."""
    from pantau.election import load_election
    from pantau.settings import DEFAULTS_DIR

    election = load_election(DEFAULTS_DIR / "election.yaml")
    registry = Registry(default_models_dir)
    return election, registry.load_promoted("hoax", election), registry.load_promoted("endorsement", election)


def test_rotation_really_changes_the_names(election):
    mapping = _rotation(election)
    assert rotate("Raka Wiratama dan PSRB, coblos 01", mapping) == "Hendra Kusumadewa dan PKBM, coblos 02"
    changed = [p for p in POSTS if rotate(p, mapping) != p]
    assert len(changed) == len(POSTS) >= 40


def test_swapping_names_moves_no_score(default_models):
    election, hoax, endorse = default_models
    mapping = _rotation(election)
    variants = [POSTS]
    for _ in range(len(election.candidates) - 1):
        variants.append([rotate(p, mapping) for p in variants[-1]])
    base_h = hoax.predict(POSTS)
    base_e = endorse.predict(POSTS)
    worst = 0.0
    for texts in variants[1:]:
        for a, b in zip(base_h, hoax.predict(texts), strict=True):
            worst = max(worst, abs(a.score - b.score))
        for a, b in zip(base_e, endorse.predict(texts), strict=True):
            for label, p in a.probabilities.items():
                worst = max(worst, abs(p - b.probabilities[label]))
    print(f"largest change after a name swap: {worst:.4f}")
    assert worst <= TOLERANCE, f"a name swap moved a score by {worst:.3f}"


def test_the_coordination_signal_does_not_depend_on_the_names(default_models):
    """The same coordinated-cluster context on every post: a name swap still moves no score > 0.05."""
    election, _, endorse = default_models
    ctx = {
        "cluster_id": "c_demo",
        "posts": 15,
        "accounts": 15,
        "influencer_accounts": 12,
        "window_minutes": 6.0,
        "coordination_score": 0.7,
        "coordinated": True,
        "in_burst": True,
    }
    mapping = _rotation(election)
    context = [ctx] * len(POSTS)
    base = endorse.predict(POSTS, coordination=context)
    assert any(r["kind"] == "coordination" for p in base for r in p.reasons), "the rule fired somewhere"
    texts = POSTS
    worst = 0.0
    for _ in range(len(election.candidates) - 1):
        texts = [rotate(p, mapping) for p in texts]
        for a, b in zip(base, endorse.predict(texts, coordination=context), strict=True):
            for label, p in a.probabilities.items():
                worst = max(worst, abs(p - b.probabilities[label]))
            fired = [any(r["kind"] == "coordination" for r in p.reasons) for p in (a, b)]
            assert fired[0] == fired[1], "the rule fires for both or neither"
    print(f"largest change after a name swap, coordination context on: {worst:.4f}")
    assert worst <= TOLERANCE, f"a name swap moved a score by {worst:.3f}"
