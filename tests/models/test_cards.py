"""Model cards say which featuriser a model reads its text with (and its settings)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from models.training.cards import FEATURIZER, build_card, featurizer_card, render_readme
from models.training.train import train_model


def test_a_trained_hoax_card_names_the_featuriser_and_its_settings(settings, hoax_csv):
    info = train_model(settings, "hoax", [hoax_csv], use_seed=False)
    card = json.loads((info.path / "card.json").read_text())
    featurizer = card["featurizer"]
    assert featurizer["name"] == FEATURIZER["name"] and featurizer["version"] == FEATURIZER["version"]
    assert featurizer["module"] == "models.training.hashing"
    assert featurizer["settings"] == {
        "n_features_per_family": card["parameters"]["n_features"],
        "word_ngrams": [1, 2],
        "char_ngrams": [3, 5],
        "char_ngrams_inside": "space-padded words (never across two words)",
        "style_cues": True,
    }
    readme = (info.path / "README.md").read_text()
    assert "## Featuriser" in readme and "`pantau-ngram-hash` version 1" in readme


def test_a_trained_endorsement_card_has_no_style_cues(settings, endorsement_csv):
    info = train_model(settings, "endorsement", [endorsement_csv], use_seed=False)
    card = json.loads((info.path / "card.json").read_text())
    assert card["featurizer"]["settings"]["style_cues"] is False
    assert card["featurizer"]["settings"]["char_ngrams"] == [3, 5]


def test_models_without_hashed_ngrams_get_no_featuriser():
    params = {"n_features": 2**19, "word_ngram_max": 2, "char_ngram_min": 3, "char_ngram_max": 5}
    assert featurizer_card("hf", params) is None  # an encoder reads its own tokenizer's pieces
    assert featurizer_card("e5", {**params, "use_lexical": False}) is None
    assert featurizer_card("e5", params) is not None
    assert featurizer_card("sklearn", {**params, "use_char": False})["settings"]["char_ngrams"] is None
    card = build_card(
        version="hoax-hf-x",
        task="hoax",
        kind="hf",
        created_at=datetime(2029, 1, 1, tzinfo=UTC),
        data={},
        parameters=params,
        metrics={},
        files=[],
    )
    assert "featurizer" not in card and "## Featuriser" not in render_readme(card)
