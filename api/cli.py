"""``pantau users ...`` and ``pantau serve``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from api import auth
from api.policy import Role
from api.web.cli import passwd
from pantau import plugins
from pantau.cli_support import console, edge, err_console, open_store, print_json, settings

users_app = typer.Typer(help="API users and their keys: add, list, revoke, issue keys.", no_args_is_help=True)

ROLES = ", ".join(r.value for r in Role)


def _show_key(issued: auth.IssuedKey, as_json: bool) -> None:
    if as_json:
        print_json({"name": issued.name, "role": issued.role, "key": issued.key})
        return
    console.print(f"user [bold]{escape(issued.name)}[/bold] ({issued.role})")
    console.print(f"key  [bold green]{issued.key}[/bold green]")
    if issued.expires_at:
        console.print(f"expires {issued.expires_at:%Y-%m-%d %H:%M} UTC")
    err_console.print("This key is shown once. Store it safely; pantau keeps only its hash.")


@users_app.command("add")
@edge
def add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ - @).")],
    role: Annotated[str, typer.Option("--role", help=f"One of: {ROLES}.")],
    expires_days: Annotated[
        int | None, typer.Option("--expires-days", min=1, help="Key lifetime in days.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"name", "role", "key"}.')] = False,
) -> None:
    """Add a user and print their API key once."""
    store = open_store()
    try:
        issued = auth.add_user(store, name, role, expires_days=expires_days, actor="cli")
    finally:
        store.close()
    _show_key(issued, as_json)


@users_app.command("key")
@edge
def key(
    name: Annotated[str, typer.Argument(help="An existing user.")],
    expires_days: Annotated[
        int | None, typer.Option("--expires-days", min=1, help="Key lifetime in days.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"name", "role", "key"}.')] = False,
) -> None:
    """Issue another key for a user (e.g. before revoking the old one)."""
    store = open_store()
    try:
        issued = auth.issue_key(store, name, expires_days=expires_days, actor="cli")
    finally:
        store.close()
    _show_key(issued, as_json)


@users_app.command("list")
@edge
def list_users(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Users, roles and their keys (prefixes only)."""
    store = open_store()
    try:
        users = auth.list_users(store)
    finally:
        store.close()
    if as_json:
        print_json({"users": users})
        return
    table = Table("user", "role", "key", "state", "expires", "last used", title="API users")
    for user in users:
        for i, k in enumerate(user["keys"] or [{}]):
            table.add_row(
                escape(user["name"]) if i == 0 else "",
                user["role"] if i == 0 else "",
                escape(k.get("prefix", "—")) + ("…" if k else ""),
                k.get("state", ""),
                (k.get("expires_at") or "never")[:16] if k else "",
                (k.get("last_used_at") or "never")[:16] if k else "",
            )
    console.print(table)


@users_app.command("revoke")
@edge
def revoke(
    target: Annotated[
        str, typer.Argument(help="A user name (all their keys) or a key prefix (pnt_XXXXXXXX).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Revoke one key, or every key of a user. Takes effect at the next request."""
    store = open_store()
    try:
        revoked = auth.revoke(store, target, actor="cli")
    finally:
        store.close()
    if as_json:
        print_json({"revoked": revoked})
    elif revoked:
        console.print(f"revoked {len(revoked)} key(s): {', '.join(revoked)}")
    else:
        console.print("nothing to revoke: the key(s) were already revoked")


@edge
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default: api.host, 127.0.0.1).")] = None,
    port: Annotated[
        int | None, typer.Option(min=1, max=65535, help="Port (default: api.port, 8000).")
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes; one core each (search holds the GIL).")
    ] = 1,
) -> None:
    """Serve the API (and web pages) until interrupted."""
    cfg = settings()
    bind_host, bind_port = host or cfg.api.host, port or cfg.api.port
    console.print(f"serving pantau on http://{bind_host}:{bind_port}/  (docs at /docs, Ctrl+C to stop)")
    if workers > 1:
        from api.service import serve as serve_api

        serve_api(cfg, bind_host, bind_port, workers=workers)
    else:
        plugins.service("serve")(cfg, bind_host, bind_port)


# `pantau users passwd` lives with the web login code (api/web/cli.py).
users_app.command("passwd", help="Set a user's password for the web login.")(passwd)
