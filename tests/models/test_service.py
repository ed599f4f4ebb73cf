"""The scorer service end to end on a temporary store (default models trained from the seed corpus)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.service import Scorer, load_scorer
from pantau import plugins
from pantau.records import AccountKind, Author, FactCheck, Post, PostScores


@pytest.fixture
def lexical_settings(trained_settings):
    trained_settings.models.embedder = "none"  # lexical claim matching keeps this test fast
    return trained_settings


def _post(i: int, text: str, kind: AccountKind = AccountKind.unknown, **kw) -> Post:
    return Post(
        id=f"p{i}", platform="x", source_id="test", text=text, author=Author(handle=f"u{i}", kind=kind), **kw
    )


def _load_seed_factchecks(store) -> None:
    path = Path(__file__).resolve().parents[2] / "models" / "data" / "seed" / "claims_factchecks.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        store.upsert_factcheck(FactCheck(id=row["id"], claim=row["claim"], rating=row["rating"]))


def test_scorer_scores_a_batch(lexical_settings, store):
    _load_seed_factchecks(store)
    scorer = load_scorer(lexical_settings, store)
    assert isinstance(scorer, Scorer)
    assert set(scorer.versions) == {"language", "hoax", "endorsement", "claims"}
    assert scorer.versions["hoax"].startswith("hoax-sklearn-")
    assert scorer.versions["claims"].startswith("claims-lex")
    posts = [
        _post(
            1, "SEBARKAN!!! Surat suara Pemilu 2029 sudah dicoblos untuk paslon tertentu sebelum hari H!!!"
        ),
        _post(2, "Yuk dukung Raka Wiratama! Programnya keren, link di bio ya", AccountKind.official_campaign),
        _post(3, "Hari ini hujan deras di Bandung, jangan lupa bawa payung", language="id"),
    ]
    scores = scorer.score(posts)
    assert [s.post_id for s in scores] == ["p1", "p2", "p3"]
    for s in scores:
        assert isinstance(s, PostScores)
        assert [p.task for p in s.predictions] == ["hoax", "endorsement"]
        for p in s.predictions:
            assert p.model_version == scorer.versions[p.task]
            assert sum(p.probabilities.values()) == pytest.approx(1.0, abs=1e-4)
            assert p.reasons
    assert scores[0].language == "id"
    assert [m.factcheck_id for m in scores[0].claim_matches][:1] == ["fc-001"]
    assert [m.rank for m in scores[0].claim_matches] == list(range(1, len(scores[0].claim_matches) + 1))
    assert all(m.similarity >= scorer.matcher.threshold for s in scores for m in s.claim_matches)
    assert scores[1].predictions[1].label != "undisclosed_paid_political"  # official campaign: exempt
    assert scorer.score([]) == []


def _types(value: object) -> object:
    """``value`` with every leaf replaced by its exact type (a numpy float equals a float, but is not one)."""
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value)


def test_scores_are_the_records_validation_would_build(lexical_settings, store):
    """The scorer builds its records without validating them: they must be what validation gives."""
    _load_seed_factchecks(store)
    scorer = load_scorer(lexical_settings, store)
    posts = [
        _post(1, "SEBARKAN!!! Server KPU dibobol, paslon 02 curang #Pilih2029 https://t.co/x"),
        _post(2, "Konten ini kerja sama berbayar dengan tim Raka Wiratama #ad", AccountKind.influencer),
        _post(3, "ini bukan endorse ya, murni dari hati", AccountKind.official_campaign),
        _post(4, ""),
    ]
    for scores in scorer.score(posts):
        validated = PostScores.model_validate(scores.model_dump())
        assert validated == scores
        assert _types(validated.model_dump()) == _types(scores.model_dump())


def test_scorer_without_factchecks_matches_nothing(lexical_settings, store):
    scorer = load_scorer(lexical_settings, store)
    assert scorer.versions["claims"] == "none"
    [s] = scorer.score([_post(1, "Server KPU dibobol hacker asing")])
    assert s.claim_matches == []


def test_scorer_is_the_registered_service(lexical_settings, store):
    assert plugins.service("scorer") is load_scorer


def test_context_reaches_the_endorsement_detector_only_for_listed_posts(lexical_settings, store):
    scorer = load_scorer(lexical_settings, store)
    text = "Jujur aku makin yakin sama Pak Hendra, programnya masuk akal. Kalian udah baca belum?"
    posts = [_post(1, text, AccountKind.influencer), _post(2, text, AccountKind.influencer)]
    ctx = {
        "p1": {
            "cluster_id": "c_p1",
            "posts": 12,
            "accounts": 12,
            "influencer_accounts": 12,
            "window_minutes": 3.0,
            "coordination_score": 0.8,
            "coordinated": True,
            "in_burst": True,
        }
    }
    plain = scorer.score(posts)
    with_ctx = scorer.score(posts, context=ctx)
    e_plain, e_ctx = plain[0].predictions[1], with_ctx[0].predictions[1]
    assert (
        e_ctx.probabilities["undisclosed_paid_political"]
        > e_plain.probabilities["undisclosed_paid_political"]
    )
    assert any(r["kind"] == "coordination" for r in e_ctx.reasons)
    assert with_ctx[1].predictions[1].probabilities == plain[1].predictions[1].probabilities
    hoax = [[p.predictions[0].probabilities for p in scores] for scores in (plain, with_ctx)]
    assert hoax[0] == hoax[1], "hoax untouched"
    assert scorer.score(posts, context={})[0].predictions[1].probabilities == e_plain.probabilities
