"""Agreement statistics checked against hand-computed textbook examples."""

from __future__ import annotations

import pytest

from labeling.agreement import (
    cohen_kappa,
    gold_scores,
    krippendorff_alpha,
    labeller_agreement,
    majority,
    one_vs_rest,
    project_agreement,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal data, 4 observers, 12 units,
# missing values: alpha = 0.743.
A = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
C = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]

# Krippendorff (2011), binary data, two observers, ten units: alpha = 0.095.
# Cohen's kappa of the same pairs by hand: p_o = 6/10, p_e = .2·.4 + .8·.6 = .56, kappa = .04/.44 = 0.0909.
BIN_A = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
BIN_B = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]


def test_alpha_matches_krippendorffs_nominal_example_with_missing_data() -> None:
    assert krippendorff_alpha(zip(A, B, C, D, strict=True)) == pytest.approx(0.743, abs=5e-4)


def test_alpha_matches_krippendorffs_binary_two_coder_example() -> None:
    assert krippendorff_alpha(zip(BIN_A, BIN_B, strict=True)) == pytest.approx(0.095, abs=5e-4)


def test_kappa_matches_the_hand_computed_binary_example() -> None:
    assert cohen_kappa(BIN_A, BIN_B) == pytest.approx(0.04 / 0.44)


def test_kappa_matches_the_textbook_yes_no_table() -> None:
    # 50 cases: both yes 20, A yes / B no 5, A no / B yes 10, both no 15 → p_o = .7, p_e = .5, kappa = .4
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_perfect_agreement_is_one_and_chance_level_is_about_zero() -> None:
    assert krippendorff_alpha([["a", "a"], ["b", "b"], ["c", "c"]]) == pytest.approx(1.0)
    assert cohen_kappa(["a", "b", "a", "b"], ["a", "a", "b", "b"]) == pytest.approx(0.0)


def test_undefined_statistics_are_none_not_invented() -> None:
    assert krippendorff_alpha([["a", "a"], ["a", "a"]]) is None  # one category: chance agreement is total
    assert krippendorff_alpha([["a"], ["b", None]]) is None  # nothing pairable
    assert cohen_kappa(["a", "a"], ["a", "a"]) is None
    assert cohen_kappa([None], ["a"]) is None


def test_units_with_a_single_value_do_not_count() -> None:
    with_single = krippendorff_alpha([["a", "a"], ["b", "b"], ["a", "b"], ["a"]])
    assert with_single == krippendorff_alpha([["a", "a"], ["b", "b"], ["a", "b"]])


def test_per_label_alpha_is_one_vs_rest() -> None:
    units = [["x", "x"], ["y", "z"], ["z", "z"]]
    assert one_vs_rest(units, "x") == [[True, True], [False, False], [False, False]]
    assert krippendorff_alpha(one_vs_rest(units, "x")) == pytest.approx(1.0)
    assert krippendorff_alpha(one_vs_rest(units, "y")) < 0.5  # type: ignore[operator]


def test_majority_reports_ties_as_none() -> None:
    assert majority(["a", "a", "b"]) == ("a", pytest.approx(2 / 3))
    assert majority(["a", "b"])[0] is None
    assert majority([]) == (None, 0.0)


def test_a_labeller_who_always_disagrees_scores_below_the_others() -> None:
    ratings = {}
    for i in range(10):
        usual = "h" if i % 2 else "n"
        ratings[i] = {"ani": usual, "budi": usual, "dedi": usual, "cici": "n" if i % 2 else "h"}
    per = labeller_agreement(ratings)
    assert per["ani"]["agreement"] == 1.0 and per["ani"]["kappa_vs_majority"] == pytest.approx(1.0)
    assert per["cici"]["agreement"] == 0.0 and per["cici"]["kappa_vs_majority"] == pytest.approx(-1.0)


def test_items_where_the_others_tie_are_left_out_of_a_labellers_numbers() -> None:
    per = labeller_agreement({1: {"ani": "h", "budi": "h", "cici": "n"}})
    assert per["ani"]["compared"] == 0 and per["ani"]["agreement"] is None
    assert per["cici"]["compared"] == 1 and per["cici"]["agreement"] == 0.0


def test_gold_scores_per_labeller() -> None:
    ratings = {1: {"ani": "h", "budi": "n"}, 2: {"ani": "n", "budi": "n"}}
    scores = gold_scores(ratings, {1: "h", 2: "n"})
    assert scores["ani"]["accuracy"] == 1.0 and scores["budi"]["accuracy"] == 0.5


def test_project_agreement_separates_gold_from_regular_items() -> None:
    ratings = {i: {"a": "h", "b": "h" if i < 8 else "n"} for i in range(10)}
    ratings[99] = {"a": "n"}
    out = project_agreement(ratings, ["h", "n"], gold={99: "n"})
    assert out["items"] == 10 and out["labels"] == 20
    assert out["per_label"]["h"]["count"] == 18
    assert out["gold"]["a"]["accuracy"] == 1.0
    assert out["pairs"] == 1
