"""Shared bits for every CLI command: the error edge, consoles, settings and store access."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from pantau.errors import PantauError
from pantau.settings import Settings, get_settings
from pantau.store import Store

console = Console()
err_console = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def edge(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn a :class:`PantauError` into one red line on stderr and exit code 1 (no traceback)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except PantauError as exc:
            err_console.print(f"[bold red]error:[/bold red] {escape(str(exc))}")
            raise typer.Exit(1) from None

    return wrapper


def settings() -> Settings:
    return get_settings()


def open_store(cfg: Settings | None = None) -> Store:
    return Store.open(cfg or get_settings())


def print_json(data: Any) -> None:
    """One JSON object on stdout (for ``--json`` options)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str, indent=2) + "\n")
    sys.stdout.flush()
