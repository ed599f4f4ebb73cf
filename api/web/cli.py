"""``pantau users passwd NAME``: set a user's web password (the API engineer's ``users`` group has no
such command; the lead registers this function on it: ``users_app.command("passwd")(passwd)``)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from api.web.passwords import set_password
from pantau.cli_support import console, edge, open_store


@edge
def passwd(
    name: Annotated[str, typer.Argument(help="An existing user.")],
    password: Annotated[
        str | None,
        typer.Option("--password", help="The new password (prompted, hidden, when left out — prefer that)."),
    ] = None,
) -> None:
    """Set the password USER logs in to the web pages with (at least 10 characters)."""
    if password is None:
        password = typer.prompt("new password", hide_input=True, confirmation_prompt=True)
    store = open_store()
    try:
        set_password(store, name, password, actor="cli")
    finally:
        store.close()
    console.print(f"password set for {escape(name)}")
