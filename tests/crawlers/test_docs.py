"""docs/sources.md stays true: every source option the code reads and every export column mapping is
documented there."""

from __future__ import annotations

import re
from pathlib import Path

from crawlers.mappings import FIELDS, PLATFORM_MAPPINGS

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
OPTION_READ = re.compile(r"""(?:option|options\.get)\(\s*["']([a-z_]+)["']""")


def test_every_source_option_is_documented() -> None:
    code = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "crawlers").rglob("*.py"))
    options = set(OPTION_READ.findall(code))
    assert {"max_items", "max_pages", "api_base_url", "link_pattern", "download_delay_s"} <= options
    missing = sorted(o for o in options if f"`{o}`" not in DOC)
    assert not missing, f"options read by the crawlers but not documented in docs/sources.md: {missing}"


def test_every_export_mapping_is_documented() -> None:
    for platform, mapping in PLATFORM_MAPPINGS.items():
        assert f"**{platform}**" in DOC
        for column, field in mapping.columns.items():
            assert f"`{column}`" in DOC, (platform, column)
            assert field in DOC
        assert mapping.url_template and mapping.url_template in DOC
    for field in FIELDS:
        assert f"`{field}`" in DOC, field
