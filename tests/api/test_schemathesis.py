"""Property-based run of the whole OpenAPI schema against the real app (in-process ASGI), with a real
temp store and index holding demo-like posts.

* valid requests (generated from the schema): no 5xx; status codes, content types, headers and bodies
  match what the schema documents;
* invalid requests (schemathesis' negative mode: wrong types, out-of-range values, extra fields): never
  a 5xx, and always the one JSON error shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks

from api.app import create_app
from pantau.settings import Settings

from .conftest import DemoScorer, make_settings, seed

POSITIVE_CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]
# building the app reads nothing from disk: its schema lists the operations to test
OPERATIONS = [
    (method.upper(), path)
    for path, item in create_app(Settings(data_dir=Path("/nonexistent"))).openapi()["paths"].items()
    for method in item
]
MAX_EXAMPLES = 10


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    data = Path(tmp_path_factory.mktemp("schemathesis")) / "data"
    cfg = make_settings(data, rate_limit_per_minute=1_000_000, max_body_bytes=64_000)
    env = seed(cfg)
    app = create_app(cfg, scorer_factory=lambda s, st: DemoScorer())
    with TestClient(app):  # runs the lifespan: store and index open on app.state
        yield {
            "app": app,
            "key": env["keys"]["admin"],
            "schema": schemathesis.openapi.from_asgi("/openapi.json", app),
        }


def _operation(served: dict[str, Any], method: str, path: str) -> Any:
    return served["schema"][path][method]


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_valid_requests_conform(served: dict[str, Any], method: str, path: str) -> None:
    operation = _operation(served, method, path)

    @given(case=operation.as_strategy(GenerationMode.POSITIVE))
    @settings(
        max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
    )
    def run(case: Any) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {served['key']}"}, checks=POSITIVE_CHECKS)

    run()


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_invalid_requests_get_4xx_in_one_shape(served: dict[str, Any], method: str, path: str) -> None:
    operation = _operation(served, method, path)

    @given(case=operation.as_strategy(GenerationMode.NEGATIVE))
    @settings(
        max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
    )
    def run(case: Any) -> None:
        response = case.call(headers={"Authorization": f"Bearer {served['key']}"})
        assert response.status_code < 500, (case.as_curl_command(), response.text)
        if response.status_code >= 400:
            body = response.json()
            assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body

    try:
        run()
    except Unsatisfiable:
        pytest.skip(f"{method} {path} takes no input that could be invalid")
