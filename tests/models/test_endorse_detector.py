"""The endorsement detector: five labels, probabilities, reasons and the account / disclosure rules."""

from __future__ import annotations

import pytest

from models.endorse.accounts import read_influencers
from models.endorse.config import EndorsementConfig
from models.endorse.detector import DISCLOSED, UNDISCLOSED, EndorsementDetector
from models.training.base import ENDORSEMENT_LABELS
from models.training.data import read_labeled

PROMO = "Guys aku udah lama ngikutin Raka Wiratama, programnya keren banget! Yuk dukung, link di bio ya"


@pytest.fixture
def detector(endorsement_csv, election):
    return EndorsementDetector.train(
        read_labeled(endorsement_csv, "endorsement"), EndorsementConfig(), election
    )


def test_five_way_probabilities_sum_to_one_with_reasons(detector):
    preds = detector.predict([PROMO, "Resep sambal matah ala rumahan"])
    for p in preds:
        assert set(p.probabilities) == set(ENDORSEMENT_LABELS)
        assert sum(p.probabilities.values()) == pytest.approx(1.0, abs=1e-5)
        assert p.score == p.probabilities[UNDISCLOSED]
        assert p.label == max(p.probabilities, key=p.probabilities.get)
    assert preds[0].label == UNDISCLOSED
    kinds = {r["kind"] for r in preds[0].reasons}
    assert {"cue", "mention", "rule"} <= kinds
    mention = next(r for r in preds[0].reasons if r["kind"] == "mention")
    assert mention["entity"] == "paslon-01"


def test_official_campaign_accounts_are_never_undisclosed(detector):
    [p] = detector.predict([PROMO], account_kinds=["official_campaign"])
    assert p.label != UNDISCLOSED
    assert p.probabilities[UNDISCLOSED] == 0.0
    assert any(r["kind"] == "account" and "exempt" in r["text"] for r in p.reasons)


def test_a_disclosure_marker_makes_paid_promotion_disclosed(detector):
    [p] = detector.predict([PROMO + " #iklan"])
    assert p.label == DISCLOSED
    assert any(r["kind"] == "disclosure" and r["text"] == "#iklan" for r in p.reasons)


def test_a_denial_is_not_a_disclosure(detector):
    [p] = detector.predict([PROMO + " Ini bukan endorse ya, murni dari hati"])
    assert p.label == UNDISCLOSED
    assert any(r["kind"] == "denial" for r in p.reasons)
    assert not any(r["kind"] == "disclosure" for r in p.reasons)


def test_configured_influencers_raise_the_prior_of_paid(detector, tmp_path):
    text = "Menurutku debat semalam Raka Wiratama oke juga, kalian gimana? Yuk dukung"
    [plain] = detector.predict([text], authors=["@someone"])
    path = tmp_path / "influencers.txt"
    path.write_text("# influencers\n@SomeOne\n", encoding="utf-8")
    detector.influencers = read_influencers(path)
    [boosted] = detector.predict([text], authors=["someone"])
    paid = (UNDISCLOSED, DISCLOSED, "commercial_endorsement")
    assert sum(boosted.probabilities[k] for k in paid) > sum(plain.probabilities[k] for k in paid)
    assert any(r["kind"] == "account" and "influencer" in r["text"] for r in boosted.reasons)


def test_mismatched_context_lengths_are_a_model_error(detector):
    from pantau.errors import ModelError

    with pytest.raises(ModelError, match="account kinds"):
        detector.predict(["a", "b"], account_kinds=["influencer"])


def test_save_and_load_round_trip(detector, tmp_path, election):
    detector.save(tmp_path / "m")
    again = EndorsementDetector.load(tmp_path / "m", election)
    assert again.predict([PROMO])[0].probabilities == detector.predict([PROMO])[0].probabilities


COORDINATED = {
    "cluster_id": "c_x1",
    "posts": 12,
    "accounts": 12,
    "influencer_accounts": 12,
    "window_minutes": 4.0,
    "coordination_score": 0.8,
    "coordinated": True,
    "in_burst": True,
}
OPINION = "Menurutku debat semalam Raka Wiratama oke juga, kalian gimana?"


def _undisclosed(detector, text, ctx, **kw):
    [p] = detector.predict([text], coordination=[ctx], **kw)
    return p


def test_coordination_raises_undisclosed_with_a_reason(detector):
    plain = _undisclosed(detector, OPINION, None)
    raised = _undisclosed(detector, OPINION, COORDINATED)
    assert raised.probabilities[UNDISCLOSED] > plain.probabilities[UNDISCLOSED]
    assert sum(raised.probabilities.values()) == pytest.approx(1.0, abs=1e-5)
    [reason] = [r for r in raised.reasons if r["kind"] == "coordination"]
    assert reason["cluster_id"] == "c_x1" and reason["influencer_accounts"] == 12
    assert reason["accounts"] == 12 and reason["window_minutes"] == 4.0 and "payment" in reason["detail"]
    assert reason["weight"] == pytest.approx(
        raised.probabilities[UNDISCLOSED] - plain.probabilities[UNDISCLOSED], abs=0.02
    )


@pytest.mark.parametrize(
    ("text", "ctx", "kw"),
    [
        (OPINION + " #iklan", COORDINATED, {}),  # disclosed
        (OPINION, COORDINATED, {"account_kinds": ["official_campaign"]}),  # official campaign account
        ("Resep sambal matah ala rumahan, gampang dan cuma butuh lima bahan", COORDINATED, {}),  # no politics
        (OPINION, {**COORDINATED, "coordinated": False}, {}),  # a cluster that is not coordinated
        (OPINION, {**COORDINATED, "influencer_accounts": 2}, {}),  # too few influencers
    ],
)
def test_coordination_never_moves_these(detector, text, ctx, kw):
    plain = _undisclosed(detector, text, None, **kw)
    with_ctx = _undisclosed(detector, text, ctx, **kw)
    assert with_ctx.probabilities == plain.probabilities
    assert not any(r["kind"] == "coordination" for r in with_ctx.reasons)


def test_coordination_prior_is_configurable_and_can_be_off(detector):
    base = _undisclosed(detector, OPINION, None).probabilities[UNDISCLOSED]
    detector.config = detector.config.model_copy(update={"coordination_prior": 6.0})
    strong = _undisclosed(detector, OPINION, COORDINATED).probabilities[UNDISCLOSED]
    detector.config = detector.config.model_copy(update={"coordination_prior": 1.0})
    off = _undisclosed(detector, OPINION, COORDINATED)
    assert strong > base and off.probabilities[UNDISCLOSED] == base
    assert not any(r["kind"] == "coordination" for r in off.reasons)


def test_coordination_context_length_must_match(detector):
    from pantau.errors import ModelError

    with pytest.raises(ModelError, match="coordination contexts"):
        detector.predict(["a", "b"], coordination=[None])
