"""The hf hoax path with a tiny BERT built locally (never downloads)."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.hoax.config import HoaxConfig
from models.registry import Registry
from models.training.data import read_labeled
from models.training.train import build_model

transformers = pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")


def tiny_bert(directory: Path, texts: list[str]) -> Path:
    """A 2-layer, 32-wide BertModel with a WordPiece vocabulary trained on ``texts``."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(
        vocab_size=400, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    )
    tok.train_from_iterator(texts, trainer)
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)],
    )
    fast = transformers.BertTokenizerFast(tokenizer_object=tok)
    config = transformers.BertConfig(
        vocab_size=tok.get_vocab_size(),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    transformers.BertModel(config).save_pretrained(directory)
    fast.save_pretrained(directory)
    return directory


def test_hf_kind_fine_tunes_a_local_encoder_and_round_trips(tmp_path, hoax_csv, election):
    data = read_labeled(hoax_csv, "hoax")
    base = tiny_bert(tmp_path / "tiny-bert", data.texts)
    model = build_model(
        "hoax",
        data.where(heldout=False),
        election,
        base_model=str(base),
        options={"max_steps": 2, "batch_size": 8, "max_length": 32},
    )
    assert model.kind == "hf"
    preds = model.predict(["SEBARKAN!!! server KPU dikuasai asing", "KPU menetapkan jadwal kampanye"])
    assert [p.label in ("hoax", "not_hoax") for p in preds] == [True, True]
    for p in preds:
        assert abs(sum(p.probabilities.values()) - 1) < 1e-5
        assert p.score == p.probabilities["hoax"]
        assert any(r["kind"] == "model" for r in p.reasons)
    info = Registry(tmp_path / "models").save(model, data, {})
    assert info.kind == "hf" and info.version.startswith("hoax-hf-")
    loaded = Registry(tmp_path / "models").load(info.version, election)
    again = loaded.predict(["SEBARKAN!!! server KPU dikuasai asing"])
    assert again[0].score == pytest.approx(preds[0].score, abs=1e-4)


def test_hf_kind_without_base_model_is_a_clear_error(hoax_csv, election):
    from pantau.errors import ConfigError

    with pytest.raises(ConfigError, match="base-model"):
        build_model("hoax", read_labeled(hoax_csv, "hoax"), election, kind="hf")


def test_hf_config_is_validated():
    with pytest.raises(ValueError):
        HoaxConfig(kind="hf", batch_size=0)
