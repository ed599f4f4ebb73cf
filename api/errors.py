"""Every error the API answers with has ONE shape, mapped here and nowhere else::

    {"error": {"code": "query_syntax", "message": "...", "details": [...]}}

* :class:`pantau.errors.PantauError` → its ``status_code`` and ``code`` (429 adds ``Retry-After``,
  401 adds ``WWW-Authenticate``);
* request validation → 422 ``invalid_request``, one ``details`` entry per bad field, the message naming
  the first (``query.limit: ...``);
* ``HTTPException`` (unknown route, wrong method, body too large) → its status, a code derived from it;
* anything else → 500 ``internal_error`` with a generic message; the exception is logged, never shown.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from pantau.errors import AuthError, PantauError, RateLimited

log = logging.getLogger("api")

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
}
MAX_INPUT_CHARS = 200


def error_body(code: str, message: str, details: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """The JSON body of every error response."""
    return {"error": {"code": code, "message": message, "details": list(details)}}


def error_response(
    status: int,
    code: str,
    message: str,
    details: Sequence[dict[str, Any]] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A JSON error response in the one shape."""
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


def _short(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_INPUT_CHARS:
        return value[:MAX_INPUT_CHARS] + "…"
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    text = repr(value)
    return text[:MAX_INPUT_CHARS] + ("…" if len(text) > MAX_INPUT_CHARS else "")


def validation_details(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Pydantic/FastAPI validation errors as ``{"field", "message", "type"[, "input"]}`` entries."""
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ())]
        entry: dict[str, Any] = {
            "field": ".".join(loc) or "request",
            "message": str(err.get("msg", "invalid")),
        }
        entry["type"] = str(err.get("type", "value_error"))
        if "input" in err and loc and loc[0] != "body":
            entry["input"] = _short(err["input"])
        out.append(entry)
    return out


async def _pantau_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PantauError)
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, AuthError):
        headers["WWW-Authenticate"] = 'Bearer realm="pantau"'
    if exc.status_code >= 500:
        log.error("%s %s: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
    return error_response(exc.status_code, exc.code, str(exc), headers=headers or None)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = validation_details(exc.errors())
    first = details[0] if details else {"field": "request", "message": "invalid request"}
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    return error_response(422, "invalid_request", f"{first['field']}: {first['message']}{more}", details)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    code = STATUS_CODES.get(status) or HTTPStatus(status).phrase.lower().replace(" ", "_")
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(status).phrase
    if status == 404 and message == "Not Found":
        message = f"no such endpoint: {request.method} {request.url.path} — see /docs"
    elif status == 405:
        message = f"method {request.method} is not allowed on {request.url.path}"
    return error_response(status, code, message, headers=getattr(exc, "headers", None))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "internal error — it was logged; please report it")


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(PantauError, _pantau_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


ERROR_EXAMPLE = error_body(
    "query_syntax", "search parameter 'sort' = 'popular': sort 'popular' is not one of relevance, date, …"
)
