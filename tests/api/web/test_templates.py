"""The templates never mark text safe, hold no inline script or style, and every message they use
exists in both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

from api.web.i18n import LOCALES_DIR, Translator

WEB = Path(__file__).resolve().parents[3] / "api" / "web"
TEMPLATES = sorted((WEB / "templates").glob("*.html"))


def test_no_safe_filter_and_no_markup_escapes() -> None:
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", ""), path.name
        assert "Markup(" not in text and "autoescape false" not in text, path.name
    for path in WEB.rglob("*.py"):
        assert "Markup(" not in path.read_text(encoding="utf-8"), path.name


def test_no_inline_scripts_styles_or_handlers() -> None:
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path.name
        assert "<style" not in text and " style=" not in text, path.name
        assert not re.search(r"\son[a-z]+=", text), path.name
        assert "javascript:" not in text, path.name


def test_catalogs_have_the_same_keys_and_cover_the_templates() -> None:
    ids = json.loads((LOCALES_DIR / "id.json").read_text(encoding="utf-8"))
    ens = json.loads((LOCALES_DIR / "en.json").read_text(encoding="utf-8"))
    assert set(ids) == set(ens)
    used = set()
    for path in [*TEMPLATES, *WEB.rglob("*.py")]:
        used |= set(re.findall(r"""_\(["']([a-z_]+\.[a-z_0-9]+)["']""", path.read_text(encoding="utf-8")))
    assert used and not used - set(ids), sorted(used - set(ids))
    assert Translator("en")("queue.recorded", n=2, verdict="x").startswith("Verdict")
    assert Translator("xx")("nav.search") == "Cari"  # unknown language: Indonesian


def test_every_form_posting_carries_a_csrf_token() -> None:
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for form in re.findall(r'<form method="post".*?</form>', text, re.S):
            assert 'name="csrf_token"' in form, (path.name, form[:80])
