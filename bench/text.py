"""Throughput of the Indonesian text layer: normalise (with and without stemming), entity masking and
language identification, in posts/s on the project's own seed texts. Prints one JSON object.

    .venv/bin/python bench/text.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
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


def _rate(fn: Callable[[list[str]], object], texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(texts)
        best = min(best, time.perf_counter() - start)
    return round(len(texts) / best, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = _texts()
    reps = args.repeat
    election = load_election(DEFAULTS_DIR / "election.yaml")
    normalize("warm up bangettt", stem=True)
    langid.detect(["warm up the detector once"])
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
        "stem_cache_words": _stem_word.cache_info().currsize,
        "elongation_cache_words": _deelongate.cache_info().currsize,
    }
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
