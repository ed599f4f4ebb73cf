"""Reference pages generated from the code, so the docs cannot drift (a test compares them)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from pantau.settings import Settings


def _default(field: object) -> str:
    default = getattr(field, "default", PydanticUndefined)
    factory = getattr(field, "default_factory", None)
    if default is PydanticUndefined:
        return "(section)" if factory else "(required)"
    if default is None:
        return "unset"
    if isinstance(default, Path) and default.is_absolute():
        # bundled files: show where they are in the source tree, not on this machine
        default = default.relative_to(Path(__file__).resolve().parents[1])
    return f"`{default}`"


def _rows(model: type[BaseModel], env_prefix: str, path: str) -> list[str]:
    rows: list[str] = []
    for name, field in model.model_fields.items():
        ann = field.annotation
        env = f"{env_prefix}{name.upper()}"
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            rows.append(f"\n## `{path}{name}` — {field.description}\n")
            rows.append("| environment variable | default | description |")
            rows.append("|---|---|---|")
            rows.extend(_rows(ann, env + "__", f"{path}{name}."))
            continue
        rows.append(f"| `{env}` | {_default(field)} | {field.description} |")
    return rows


def settings_markdown() -> str:
    """``docs/reference/settings.md``: every setting with its variable, default and description."""
    top = [
        "# Settings reference",
        "",
        "pantau reads its settings from the environment (or a `.env` file in the working directory).",
        "Names take the `PANTAU_` prefix; nested sections use a double underscore, e.g.",
        "`PANTAU_INDEX__BACKEND=elasticsearch`. This page is generated from `pantau/settings.py`",
        "(`python -m pantau.reference > docs/reference/settings.md`) and a test keeps it true.",
        "",
        "| environment variable | default | description |",
        "|---|---|---|",
    ]
    flat: list[str] = []
    sections: list[str] = []
    for line in _rows(Settings, "PANTAU_", ""):
        (sections if sections or line.startswith("\n##") else flat).append(line)
    return "\n".join(top + flat + sections) + "\n"


if __name__ == "__main__":
    print(settings_markdown(), end="")
