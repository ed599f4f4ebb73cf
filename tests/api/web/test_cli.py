"""``pantau users passwd NAME`` (the function the lead registers on the users group)."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from api import auth
from api.web.cli import passwd
from api.web.passwords import check_login
from pantau.store import Store


def test_passwd_sets_a_password_and_reports_errors_in_one_line(store: Store) -> None:
    auth.add_user(store, "rina", "factchecker")
    app = typer.Typer()
    app.command()(passwd)
    runner = CliRunner()
    ok = runner.invoke(app, ["rina"], input="sandi-rina-panjang\nsandi-rina-panjang\n")
    assert ok.exit_code == 0, ok.output
    assert check_login(store, "rina", "sandi-rina-panjang").name == "rina"
    short = runner.invoke(app, ["rina", "--password", "pendek"])
    assert short.exit_code == 1 and "too short" in short.output
    missing = runner.invoke(app, ["siapa", "--password", "cukup-panjang-1"])
    assert missing.exit_code == 1 and "does not exist" in missing.output
