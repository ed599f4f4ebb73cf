"""The app's lazily loaded models: reloaded when fact-checks change; and the real models end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from api import auth
from api.pseudonym import Pseudonymizer
from api.state import AppState
from pantau.records import FactCheck
from pantau.store import Store

from .conftest import FACTCHECKS, DemoScorer, app_client, bearer, make_settings


def test_models_reload_when_factchecks_change(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    store = Store.open(settings)
    loads: list[int] = []

    def factory(s: Any, st: Store) -> DemoScorer:
        loads.append(1)
        return DemoScorer()

    state = AppState(settings, store, Pseudonymizer(b"k" * 32), factory)
    try:
        first = state.scorer()
        assert state.scorer() is first and len(loads) == 1
        store.upsert_factcheck(FactCheck(id="fc-new", claim="Klaim baru"))
        state._checked_at = 0.0  # as if FACTCHECK_CHECK_S had passed
        assert state.scorer() is not first and len(loads) == 2
    finally:
        state.close()


@pytest.mark.slow
def test_classify_with_the_real_models(tmp_path: Path) -> None:
    """The promoted default models (trained from the seed corpus on first use) behind /v1/classify."""
    settings = make_settings(tmp_path / "data")
    store = Store.open(settings)
    try:
        for fc in FACTCHECKS:
            store.upsert_factcheck(fc)
        key = auth.add_user(store, "j", "journalist").key
    finally:
        store.close()
    with app_client(settings) as c:
        c.app.state.pantau._scorer_factory = None  # type: ignore[attr-defined]  # the real service
        text = "Katanya tinta pemilu mengandung babi! Jangan mau dicelup, sebarkan!"
        resp = c.post("/v1/classify", json={"text": text}, headers=bearer(key))
        assert resp.status_code == 200, resp.text
        data = resp.json()
        assert data["hoax"]["label"] in ("hoax", "not_hoax") and data["hoax"]["reasons"]
        assert data["endorsement"]["reasons"] and set(data["model_versions"]) >= {"hoax", "endorsement"}
        assert data["claim_matches"] and data["claim_matches"][0]["factcheck"]["id"] == "fc-tinta"
        match = c.post("/v1/factchecks/match", json={"text": text, "k": 2}, headers=bearer(key)).json()
        assert match["matches"][0]["factcheck"]["id"] == "fc-tinta" and match["threshold"] is not None
