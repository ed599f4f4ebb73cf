"""Fixtures for the models tests: tiny labelled files written into tmp_path (fast to train on)."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest

from pantau.election import Election, load_election
from pantau.settings import DEFAULTS_DIR

NAMES = ["Raka Wiratama", "Hendra Kusumadewa", "Lestari Anggraini", "PSRB", "PKBM", "PBS"]

HOAX = [
    "SEBARKAN!!! Surat suara sudah dicoblos sebelum hari H untuk {n}, cek gudang KPU sekarang",
    "Viral! Server KPU dikuasai hacker asing, hasil {n} sudah diatur. Teruskan ke grup keluarga!",
    "AWAS, tinta pemilu mengandung zat berbahaya, jangan mau dicelup! Info dari dokter grup sebelah",
    "Terbongkar: {n} bagikan uang lewat amplop berlogo bank, videonya dihapus, segera simpan!!!",
    "BREAKING: KPU tunda pemilu 2029 karena kotak suara hilang, kata orang dalam. Share sebelum dihapus",
    "Heboh! Chip pelacak ditanam di e-KTP pemilih {n}, besok semua data dijual. Viralkan!",
]
NOT_HOAX = [
    "KPU menetapkan jadwal kampanye terbuka mulai pekan depan sesuai peraturan yang berlaku.",
    "Bawaslu membuka posko pengaduan pelanggaran kampanye di setiap kecamatan, kata ketuanya.",
    "Rapat pleno rekapitulasi suara tingkat kabupaten berjalan lancar dan disaksikan saksi {n}.",
    "Debat calon presiden kedua membahas ekonomi dan lapangan kerja, disiarkan televisi nasional.",
    "KPU mengimbau pemilih memeriksa nama di daftar pemilih tetap melalui situs resmi.",
    "Survei terbaru mencatat tingkat partisipasi pemilih muda naik dibanding pemilu lalu, termasuk {n}.",
]
ENDORSE = {
    "undisclosed_paid_political": [
        "Guys aku udah lama ngikutin {n}, programnya keren banget! Yuk dukung, link di bio ya",
        "Pagi semua! Jangan lupa coblos {n}, masa depan anak muda ada di sini. #Pilih{n}",
        "Habis ketemu tim {n}, ternyata programnya pro UMKM. Ayo dukung bareng-bareng kawan!",
    ],
    "disclosed_paid_political": [
        "Konten ini kerja sama berbayar dengan tim pemenangan {n}. Yuk kenali programnya! #iklan",
        "[Iklan] Tim kampanye {n} mengajak warga datang ke TPS. #sponsored",
        "Video ini disponsori oleh tim relawan {n}. Ayo pilih dengan hati #ad",
    ],
    "organic_political": [
        "Menurutku debat semalam {n} kurang menjawab soal harga beras, kalian gimana?",
        "Aku sendiri masih bingung mau pilih siapa, {n} atau yang lain. Diskusi yuk di kolom komentar",
        "Nonton debat sambil makan gorengan, {n} ngomongnya muter-muter. Sekian opini pribadiku",
    ],
    "commercial_endorsement": [
        "Skincare ini bikin kulitku glowing dalam seminggu! Pakai kode promo GLOW10 ya #ad",
        "Makasih @kopikenangan_fiksi kirimannya, enak banget! Order sekarang diskon 20%",
        "Sepatu lari baru dari @brandfiksi nyaman banget buat jogging pagi. Cek link di bio #endorse",
    ],
    "other": [
        "Hari ini hujan deras banget di Bandung, jangan lupa bawa payung ya",
        "Resep sambal matah ala rumahan, gampang dan cuma butuh lima bahan",
        "Akhirnya kelar juga skripsi! Terima kasih semua yang sudah mendukung",
    ],
}
KINDS = {
    "undisclosed_paid_political": "influencer",
    "disclosed_paid_political": "influencer",
    "organic_political": "ordinary",
    "commercial_endorsement": "influencer",
    "other": "ordinary",
}


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def hoax_rows(copies: int = 4) -> list[dict[str, str]]:
    rows = []
    names = itertools.cycle(NAMES)
    for c in range(copies):
        for label, templates in (("hoax", HOAX), ("not_hoax", NOT_HOAX)):
            for i, template in enumerate(templates):
                rows.append(
                    {
                        "id": f"{label}-{c}-{i}",
                        "text": template.format(n=next(names)) + f" ({c})",
                        "label": label,
                        "split": "heldout" if c == copies - 1 else "train",
                    }
                )
    return rows


def endorsement_rows(copies: int = 4) -> list[dict[str, str]]:
    rows = []
    names = itertools.cycle(NAMES)
    for c in range(copies):
        for label, templates in ENDORSE.items():
            for i, template in enumerate(templates):
                rows.append(
                    {
                        "id": f"{label}-{c}-{i}",
                        "text": template.format(n=next(names)) + f" {'!' * (c % 2)}",
                        "label": label,
                        "split": "heldout" if c == copies - 1 else "train",
                        "account_kind": KINDS[label],
                    }
                )
    return rows


@pytest.fixture
def election() -> Election:
    return load_election(DEFAULTS_DIR / "election.yaml")


@pytest.fixture
def hoax_csv(tmp_path: Path) -> Path:
    return _write(tmp_path / "hoax.csv", hoax_rows())


@pytest.fixture
def endorsement_csv(tmp_path: Path) -> Path:
    return _write(tmp_path / "endorsement.csv", endorsement_rows())


@pytest.fixture(scope="session")
def default_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A registry in which ``ensure_default`` trained the shipped defaults (once per test session)."""
    from models.registry import ensure_default
    from pantau.settings import Settings

    data_dir = tmp_path_factory.mktemp("default-models") / "data"
    cfg = Settings(data_dir=data_dir)
    cfg.ensure_dirs()
    ensure_default(cfg)
    return cfg.models_dir


@pytest.fixture
def trained_settings(settings, default_models_dir: Path):
    """``settings`` whose registry already holds the promoted default models (copied, not retrained)."""
    import shutil

    shutil.copytree(default_models_dir, settings.models_dir, dirs_exist_ok=True)
    return settings


#: the public hoax sets beside the repository (``../shared/data/hoax``); tests reading them skip without
SHARED_HOAX = Path(__file__).resolve().parents[3] / "shared" / "data" / "hoax"


@pytest.fixture(scope="session")
def real_texts() -> list[str]:
    """Real Indonesian headlines and fact-check texts (both public hoax sets), for tests that pin a fast
    path to its plain version; skips when ``../shared`` is absent."""
    files = {"turnbackhoax_2017_2021.csv": ("headline", "narasi"), "pilpres2024_headlines.csv": ("text",)}
    texts: list[str] = []
    for name, columns in files.items():
        path = SHARED_HOAX / name
        if not path.is_file():
            pytest.skip(f"{path} is absent (the shared data sets sit beside the repository)")
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                texts.append("\n".join(row[c] for c in columns if row[c] and row[c].strip()))
    return [t for t in texts if t]
