"""Bits every route module shares: documented error responses."""

from __future__ import annotations

from typing import Any

from api.schemas import ErrorResponse

_ERR = {"model": ErrorResponse}

#: the errors any authenticated endpoint may answer with
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {**_ERR, "description": "Missing, unknown, expired or revoked API key."},
    403: {**_ERR, "description": "Your role may not use this endpoint."},
    422: {**_ERR, "description": "A parameter or the body is invalid; the message names the field."},
    429: {**_ERR, "description": "Rate limit reached; see Retry-After."},
}
BAD_QUERY: dict[int | str, dict[str, Any]] = {
    400: {**_ERR, "description": "Malformed query, filter or cursor."}
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {**_ERR, "description": "No such object."}}
UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {**_ERR, "description": "The search index is unavailable."}
}
BODY: dict[int | str, dict[str, Any]] = {413: {**_ERR, "description": "Request body too large."}}
