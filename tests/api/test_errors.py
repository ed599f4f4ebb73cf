"""One JSON error shape for every error, bad input answered 4xx naming the field, and the security
headers on every response."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from .conftest import app_client, assert_error, bearer, make_settings


def h(env: dict[str, Any], role: str = "admin") -> dict[str, str]:
    return bearer(env["keys"][role])


def test_unknown_route_and_wrong_method(client: TestClient, env: dict[str, Any]) -> None:
    err = assert_error(client.get("/v1/nope", headers=h(env)), 404, "not_found")
    assert "/v1/nope" in err["message"]
    assert_error(client.put("/v1/posts/search", headers=h(env)), 405, "method_not_allowed")


def test_unknown_post_is_404(client: TestClient, env: dict[str, Any]) -> None:
    err = assert_error(client.get("/v1/posts/doesnotexist", headers=h(env)), 404, "not_found")
    assert "doesnotexist" in err["message"]


def test_wrong_types_name_the_field(client: TestClient, env: dict[str, Any]) -> None:
    err = assert_error(client.get("/v1/posts/search?limit=abc", headers=h(env)), 422, "invalid_request")
    assert err["message"].startswith("query.limit")
    assert err["details"][0]["field"] == "query.limit" and err["details"][0]["input"] == "abc"
    err = assert_error(client.get("/v1/posts/search?min_risk=2", headers=h(env)), 422)
    assert "min_risk" in err["message"]
    err = assert_error(client.get("/v1/posts/search?published_from=yesterday", headers=h(env)), 422)
    assert "published_from" in err["message"]
    err = assert_error(client.post("/v1/classify", json={"text": 5}, headers=h(env)), 422)
    assert "body.text" in err["message"]
    err = assert_error(
        client.post(
            "/v1/classify", content=b"{not json", headers={**h(env), "Content-Type": "application/json"}
        ),
        422,
    )
    assert err["details"]


def test_huge_pages_and_unknown_filters(client: TestClient, env: dict[str, Any]) -> None:
    err = assert_error(client.get("/v1/posts/search?limit=501", headers=h(env)), 422)
    assert "query.limit" in err["message"] and "500" in err["message"]
    assert_error(client.get("/v1/posts/search?limit=0", headers=h(env)), 422)
    err = assert_error(client.get("/v1/posts/search?colour=red", headers=h(env)), 422)
    assert "query.colour" in err["message"]
    err = assert_error(client.get("/v1/posts/search?facet=mood", headers=h(env)), 422)
    assert "facet" in err["message"]
    err = assert_error(client.get("/v1/posts/search?sort=popular", headers=h(env)), 422)
    assert "sort" in err["message"]
    err = assert_error(client.get("/v1/stats/timeline?interval=week", headers=h(env)), 422)
    assert "interval" in err["message"]


def test_malformed_queries_are_400(client: TestClient, env: dict[str, Any]) -> None:
    for q in ['"unclosed', "(kpu OR", "AND", "(" * 20 + "kpu" + ")" * 20]:
        err = assert_error(client.get("/v1/posts/search", params={"q": q}, headers=h(env)), 400)
        assert err["code"] == "query_syntax"
    err = assert_error(client.get("/v1/posts/search?cursor=garbage!!", headers=h(env)), 400, "query_syntax")
    assert "cursor" in err["message"]
    err = assert_error(client.get("/v1/posts/search?label=hoax", headers=h(env)), 400, "query_syntax")
    assert "label" in err["message"]
    err = assert_error(client.get("/v1/posts/search?min_hoax=0.9&max_hoax=0.1", headers=h(env)), 400)
    assert "min_hoax" in err["message"]
    err = assert_error(client.get("/v1/factchecks?cursor=%25%25", headers=h(env)), 400)
    assert "cursor" in err["message"]


def test_cursor_of_another_search_is_rejected(client: TestClient, env: dict[str, Any]) -> None:
    page = client.get("/v1/posts/search?limit=2&sort=date", headers=h(env)).json()
    assert page["next_cursor"]
    resp = client.get(
        "/v1/posts/search", params={"limit": 2, "sort": "risk", "cursor": page["next_cursor"]}, headers=h(env)
    )
    assert_error(resp, 400, "query_syntax")


def test_oversized_bodies_are_413(tmp_path: Any) -> None:
    settings = make_settings(tmp_path / "data", max_body_bytes=2048)
    with app_client(settings) as c:
        big = {"text": "a" * 5000}
        assert_error(c.post("/v1/classify", json=big), 413, "payload_too_large")

        def chunks() -> Any:  # no Content-Length: the limit is enforced while reading
            for _ in range(10):
                yield b"x" * 1000

        resp = c.post("/v1/classify", content=chunks(), headers={"Content-Type": "application/json"})
        assert_error(resp, 413, "payload_too_large")


def test_unexpected_errors_are_500_without_details(tmp_path: Any) -> None:
    settings = make_settings(tmp_path / "data")
    with app_client(settings) as c:

        def boom() -> None:
            raise RuntimeError("secret internals /etc/passwd")

        c.app.add_api_route("/v1/boom", boom)  # type: ignore[attr-defined]
        resp = c.get("/v1/boom")
        assert_error(resp, 500, "internal_error")
        assert "secret" not in resp.text


def test_security_headers_everywhere(client: TestClient, env: dict[str, Any]) -> None:
    for resp in (
        client.get("/v1/health"),
        client.get("/v1/posts/search", headers=h(env)),
        client.get("/v1/me"),
    ):
        assert resp.headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["Referrer-Policy"] == "no-referrer"
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/docs-assets/swagger-ui-bundle.js" in docs.text
    assert "https:" not in docs.headers["Content-Security-Policy"]  # offline: no CDN
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200


def test_openapi_has_examples_and_both_key_schemes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearer"]["scheme"] == "bearer" and schemes["apiKey"]["name"] == "X-API-Key"
    assert "example" in spec["components"]["schemas"]["ClassifyIn"]
    assert "example" in spec["components"]["schemas"]["ErrorResponse"]
    assert "/v1/posts/search" in spec["paths"] and "/v1/classify" in spec["paths"]
