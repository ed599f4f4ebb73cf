"""Form helpers shared by the web routes: the CSRF dependency and small value parsers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form, Request

from api.web.core import session_of
from api.web.security import check_csrf


def csrf(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> None:
    """Every POST route depends on this: the form's token must be the session's."""
    check_csrf(session_of(request), csrf_token, request.headers.get("origin"), request.headers.get("host"))


CSRF = [Depends(csrf)]


def optional(value: str | None) -> str | None:
    """A form value with blanks meaning "not given"."""
    value = (value or "").strip()
    return value or None


def checkbox(value: str | None) -> bool:
    return (value or "").lower() in ("1", "on", "true", "yes")
