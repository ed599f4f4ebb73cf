"""Posts and scores as plain tuples for the trip to and from the scoring workers (:mod:`.process_workers`).

Pickling a pydantic record goes through its ``__getstate__``/``__setstate__`` and pickles every field name
with every record: measured at about 50 µs to pickle a :class:`~pantau.records.Post` and 40 µs to unpickle
it, on the main process's critical path for every scored post. These functions send the field values only,
in the records' declared field order, and rebuild the records without re-validating them (they were valid
when packed) — a few µs per post.
"""

from __future__ import annotations

from typing import Any

from pantau.records import Author, ClaimMatch, Engagement, Post, PostScores, Prediction, record

_POST = tuple(Post.__pydantic_fields__)
_AUTHOR = tuple(Author.__pydantic_fields__)
_ENGAGEMENT = tuple(Engagement.__pydantic_fields__)
_PREDICTION = tuple(Prediction.__pydantic_fields__)
_MATCH = tuple(ClaimMatch.__pydantic_fields__)
_AUTHOR_AT = _POST.index("author")
_ENGAGEMENT_AT = _POST.index("engagement")

Packed = tuple[Any, ...]


def _values(obj: Any, fields: tuple[str, ...]) -> Packed:
    d = obj.__dict__
    return tuple([d[f] for f in fields])


def pack_post(post: Post) -> Packed:
    """``post``'s field values in declared order; author and engagement as tuples of theirs."""
    values = list(_values(post, _POST))
    values[_AUTHOR_AT] = _values(post.author, _AUTHOR)
    values[_ENGAGEMENT_AT] = _values(post.engagement, _ENGAGEMENT)
    return tuple(values)


def unpack_post(values: Packed) -> Post:
    """The :class:`Post` that :func:`pack_post` packed."""
    fields = dict(zip(_POST, values, strict=True))
    fields["author"] = record(Author, dict(zip(_AUTHOR, fields["author"], strict=True)))
    fields["engagement"] = record(Engagement, dict(zip(_ENGAGEMENT, fields["engagement"], strict=True)))
    return record(Post, fields)


def pack_scores(scores: PostScores) -> Packed:
    """``(post id, language, prediction tuples, claim match tuples)``."""
    return (
        scores.post_id,
        scores.language,
        [_values(p, _PREDICTION) for p in scores.predictions],
        [_values(m, _MATCH) for m in scores.claim_matches],
    )


def unpack_scores(values: Packed) -> PostScores:
    """The :class:`PostScores` that :func:`pack_scores` packed."""
    post_id, language, predictions, matches = values
    return record(
        PostScores,
        {
            "post_id": post_id,
            "language": language,
            "predictions": [record(Prediction, dict(zip(_PREDICTION, p, strict=True))) for p in predictions],
            "claim_matches": [record(ClaimMatch, dict(zip(_MATCH, m, strict=True))) for m in matches],
        },
    )
