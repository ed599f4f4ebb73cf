"""Throughput of the Indonesian text layer: normalise (with and without stemming), entity masking and
language identification, in posts/s on the project's own seed texts. Prints one JSON object.

    .venv/bin/python bench/text.py [--repeat 3]

Rates are posts per wall-clock second (best of ``--repeat``) and posts per CPU-second of this process
(``*_cpu``; the machine is shared, CPU time counts only what this process ran). Language
identification is measured with its shortcut (clear Indonesian skips lingua; lingua reads the first
300 characters) and without it (lingua on every whole text), and ``langid_agreement`` gives the share
of texts where both answers agree — on the seed texts and, when ``../shared/data/hoax`` is there, on
the public hoax sets (with the disagreements by kind: ``full->shortcut``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

# run as a script, bench/ is first on sys.path and bench/models.py would shadow the models package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from models.text import langid  # noqa: E402
from models.text.entities import mask_entities  # noqa: E402
from models.text.normalize import _deelongate, _stem_word, normalize  # noqa: E402
from pantau.election import load_election  # noqa: E402
from pantau.settings import DEFAULTS_DIR  # noqa: E402

SEED = Path(__file__).resolve().parents[1] / "models" / "data" / "seed"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "hoax"


def _texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(SEED.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            texts += [row["text"] for row in csv.DictReader(fh) if row.get("text")]
    for path in sorted(SEED.glob("claims_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts.append(row.get("text") or row.get("claim") or "")
    return [t for t in texts if t]


def _shared_texts() -> list[str]:
    """Headline + narrative of the public hoax sets (empty when ``../shared/data/hoax`` is absent)."""
    texts: list[str] = []
    tbh = SHARED / "turnbackhoax_2017_2021.csv"
    if tbh.exists():
        with tbh.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                texts.append("\n".join(t for t in (row["headline"], row["narasi"]) if t and t.strip()))
    pil = SHARED / "pilpres2024_headlines.csv"
    if pil.exists():
        with pil.open(encoding="utf-8") as fh:
            texts += [row["text"] for row in csv.DictReader(fh) if row["text"].strip()]
    return texts


def _rate(fn: Callable[[list[str]], object], texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(texts)
        best = min(best, time.perf_counter() - start)
    return round(len(texts) / best, 1)


def _cpu_rate(fn: Callable[[list[str]], object], texts: list[str], batch: int = 512) -> float:
    """Posts per CPU-second of this process, in batches as the scorer hands them over."""
    start = time.process_time()
    for i in range(0, len(texts), batch):
        fn(texts[i : i + batch])
    return round(len(texts) / max(time.process_time() - start, 1e-9), 1)


def _langid(texts: list[str]) -> dict[str, object]:
    """Shortcut vs full-lingua language identification: speed and agreement."""
    full = langid.detect(texts, shortcut=False)
    fast = langid.detect(texts)
    return {
        "posts": len(texts),
        "shortcut_posts_per_cpu_s": _cpu_rate(langid.detect, texts),
        "full_lingua_posts_per_cpu_s": _cpu_rate(lambda ts: langid.detect(ts, shortcut=False), texts),
        "agreement": round(sum(a == b for a, b in zip(full, fast, strict=True)) / max(len(texts), 1), 4),
        "disagreements": {
            f"{a}->{b}": n for (a, b), n in Counter(zip(full, fast, strict=True)).most_common() if a != b
        },
        "full_lingua_labels": dict(Counter(full).most_common()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = _texts()
    reps = args.repeat
    election = load_election(DEFAULTS_DIR / "election.yaml")
    normalize("warm up bangettt", stem=True)
    langid.detect(["warm up the detector once"], shortcut=False)
    # first pass over these texts: normalize's per-chunk cache starts empty (the warm rates below reuse it)
    cold_cpu = _cpu_rate(lambda ts: [normalize(t) for t in ts], texts)
    start = time.perf_counter()
    cold = [normalize(t, stem=True) for t in texts]
    cold_s = time.perf_counter() - start
    out = {
        "posts": len(texts),
        "mean_chars": round(sum(map(len, texts)) / max(len(texts), 1), 1),
        "normalize_posts_per_s": _rate(lambda ts: [normalize(t) for t in ts], texts, reps),
        "normalize_stem_cold_posts_per_s": round(len(cold) / cold_s, 1),
        "normalize_stem_warm_posts_per_s": _rate(
            lambda ts: [normalize(t, stem=True) for t in ts], texts, args.repeat
        ),
        "mask_entities_posts_per_s": _rate(
            lambda ts: [mask_entities(t, election) for t in ts], texts, args.repeat
        ),
        "langid_batch_posts_per_s": _rate(langid.detect, texts, reps),
        "normalize_cold_posts_per_cpu_s": cold_cpu,
        "normalize_warm_posts_per_cpu_s": _cpu_rate(lambda ts: [normalize(t) for t in ts], texts),
        "mask_entities_posts_per_cpu_s": _cpu_rate(
            lambda ts: [mask_entities(t, election) for t in ts], texts
        ),
        "stem_cache_words": _stem_word.cache_info().currsize,
        "elongation_cache_words": _deelongate.cache_info().currsize,
        "load_average": round(os.getloadavg()[0], 2),
        "langid_seed": _langid(texts),
    }
    shared = _shared_texts()
    if shared:
        out["langid_shared_hoax_sets"] = _langid(shared)
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
