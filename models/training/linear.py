"""A calibrated linear classifier whose weights explain its scores.

Logistic regression on sparse features, then calibration fitted on out-of-fold scores (Platt scaling
for two labels, temperature scaling for more), so a probability of 0.8 means about 80 % in data like
the training data. The model stays linear, so each feature's contribution is its value × weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from pantau.errors import ModelError


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


class CalibratedLinear:
    """Logistic regression + out-of-fold calibration. ``labels`` fixes the column order of probabilities."""

    def __init__(
        self,
        labels: Sequence[str],
        *,
        C: float = 4.0,
        class_weight: str | None = "balanced",
        folds: int = 5,
        seed: int = 13,
        min_df: int = 2,
    ) -> None:
        self.labels = list(labels)
        self.C = C
        self.class_weight = class_weight
        self.folds = folds
        self.seed = seed
        self.min_df = min_df
        self.coef_: np.ndarray = np.zeros((len(self.labels), 0))
        self.intercept_: np.ndarray = np.zeros(len(self.labels))
        #: calibration: logits → scale * logits + shift (per class shift; scale shared)
        self.scale_: float = 1.0
        self.shift_: np.ndarray = np.zeros(len(self.labels))
        self._weights: dict[str, np.ndarray] = {}
        self._compact: tuple[np.ndarray, np.ndarray] | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_weights"] = {}  # caches: not worth saving
        state["_compact"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__dict__.setdefault("_compact", None)  # saved before the compact weights existed

    def _new(self) -> LogisticRegression:
        return LogisticRegression(
            C=self.C, class_weight=self.class_weight, max_iter=500, solver="newton-cg", random_state=self.seed
        )

    def _fit_one(self, X: sp.csr_matrix, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Full (n_labels × n_features) weights and intercepts, for any subset of labels present."""
        present = np.unique(y)
        coef = np.zeros((len(self.labels), X.shape[1]))
        intercept = np.full(len(self.labels), -30.0)  # labels absent from this data get ~0 probability
        if len(present) == 1:
            intercept[present[0]] = 0.0
            return coef, intercept
        clf = self._new().fit(X, y)
        if len(present) == 2:  # sklearn keeps one weight vector for two classes: split it symmetrically
            neg, pos = present
            coef[pos], coef[neg] = clf.coef_[0] / 2, -clf.coef_[0] / 2
            intercept[pos], intercept[neg] = clf.intercept_[0] / 2, -clf.intercept_[0] / 2
        else:
            for row, label in enumerate(clf.classes_):
                coef[label], intercept[label] = clf.coef_[row], clf.intercept_[row]
        return coef, intercept

    def fit(self, X: sp.csr_matrix, y_labels: Sequence[str]) -> CalibratedLinear:
        unknown = sorted(set(y_labels) - set(self.labels))
        if unknown:
            raise ModelError(f"training labels {unknown} are not among {self.labels}")
        y = np.asarray([self.labels.index(v) for v in y_labels])
        if len(np.unique(y)) < 2:
            raise ModelError(
                f"training data has one label only ({self.labels[int(y[0])]}); need at least two"
            )
        # hashed features leave most columns empty, and a feature seen in one training text only cannot
        # generalise: fitting on columns used by at least `min_df` texts is many times faster
        df = np.bincount(X.indices, minlength=X.shape[1])
        used = np.flatnonzero(df >= min(self.min_df, X.shape[0]))
        Xu = X[:, used].tocsr()
        oof = self._out_of_fold_logits(Xu, y)
        coef, self.intercept_ = self._fit_one(Xu, y)
        self.coef_ = np.zeros((len(self.labels), X.shape[1]), dtype=np.float32)  # float32: half the memory
        self.coef_[:, used] = coef
        self._weights = {}
        self._compact = None
        if oof is not None:
            self._calibrate(oof, y)
        return self

    def _out_of_fold_logits(self, X: sp.csr_matrix, y: np.ndarray) -> np.ndarray | None:
        smallest = int(np.bincount(y)[np.unique(y)].min())
        folds = min(self.folds, smallest)
        if folds < 2:
            return None  # too few examples to calibrate honestly: keep the raw logistic probabilities
        oof = np.zeros((X.shape[0], len(self.labels)))
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.seed)
        for train, test in splitter.split(np.zeros(len(y)), y):
            coef, intercept = self._fit_one(X[train], y[train])
            oof[test] = X[test] @ coef.T + intercept
        return oof

    def _calibrate(self, logits: np.ndarray, y: np.ndarray) -> None:
        k = len(self.labels)

        def nll(params: np.ndarray) -> float:
            p = _softmax(logits * params[0] + params[1:])
            return float(-np.mean(np.log(p[np.arange(len(y)), y] + 1e-12)) + 1e-3 * np.sum(params[1:] ** 2))

        start = np.concatenate([[1.0], np.zeros(k)])
        bounds = [(0.05, 20.0)] + [(-10.0, 10.0)] * k
        result = minimize(nll, start, method="L-BFGS-B", bounds=bounds)
        self.scale_ = float(result.x[0])
        self.shift_ = np.asarray(result.x[1:]) - np.mean(result.x[1:])

    def weighted_columns(self) -> np.ndarray:
        """Columns with a non-zero weight for any label."""
        return np.flatnonzero(np.any(self.coef_ != 0, axis=0))

    def _compact_weights(self) -> tuple[np.ndarray, np.ndarray]:
        """(column → row of the compact matrix, compact float64 weights: row 0 zero, one row per
        weighted column). Hashed features leave most columns without weight; scoring against the
        few thousand weighted ones is much cheaper than against the full float32 matrix."""
        if self._compact is None:
            cols = self.weighted_columns()
            where = np.zeros(self.coef_.shape[1], dtype=np.int32)
            where[cols] = np.arange(1, len(cols) + 1, dtype=np.int32)
            weights = np.zeros((len(cols) + 1, len(self.labels)))
            weights[1:] = self.coef_[:, cols].T
            self._compact = (where, weights)
        return self._compact

    def logits(self, X: sp.csr_matrix) -> np.ndarray:
        """Uncalibrated scores ``X @ coef.T + intercept`` (rows of ``X``, columns in ``labels`` order)."""
        X = X.tocsr()
        where, weights = self._compact_weights()
        compact = sp.csr_matrix((X.data, where[X.indices], X.indptr), shape=(X.shape[0], len(weights)))
        return np.asarray(compact @ weights + self.intercept_)

    def predict_proba(self, X: sp.csr_matrix) -> np.ndarray:
        """Calibrated probabilities, columns in ``labels`` order, rows summing to 1."""
        return _softmax(self.logits(X) * self.scale_ + self.shift_)

    def contribution_weights(self, label: str) -> np.ndarray:
        """Per-feature weight of ``label`` against the average label (calibrated scale)."""
        cached = self._weights.get(label)
        if cached is None:
            i = self.labels.index(label)
            cached = np.asarray((self.coef_[i] - self.coef_.mean(axis=0)) * self.scale_, dtype=np.float32)
            self._weights[label] = cached
        return cached

    def params(self) -> dict[str, Any]:
        return {
            "C": self.C,
            "class_weight": self.class_weight,
            "calibration_folds": self.folds,
            "min_df": self.min_df,
            "solver": "newton-cg",
            "calibration_scale": round(self.scale_, 4),
            "calibration_shift": [round(float(v), 4) for v in self.shift_],
        }
