"""Text out of HTML without running anything in it: scripts and styles are dropped, ``<br>`` and block
elements become line breaks, entities are decoded (so ``&lt;script&gt;`` written as text stays text)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import lxml.html
from lxml import etree

_BLOCKS = frozenset(
    {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "section"}
    | {"article", "header", "footer", "tr", "table", "figure"}
)
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed")


def element_text(element: lxml.html.HtmlElement) -> str:
    """The visible text of an element with line breaks kept."""
    parts: list[str] = []
    _walk(element, parts)
    return "".join(parts)


def _walk(node: etree._Element, parts: list[str]) -> None:
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in _DROP:
        if node.tail:
            parts.append(node.tail)
        return
    if tag == "br" or tag in _BLOCKS:
        parts.append("\n")
    if isinstance(node.tag, str) and node.text:
        parts.append(node.text)
    for sub in node:
        _walk(sub, parts)
    if tag in _BLOCKS:
        parts.append("\n")
    if node.tail:
        parts.append(node.tail)


def fragment_text(html: str | None) -> str:
    """Plain text of an HTML fragment (RSS descriptions, message bodies)."""
    if not html or not html.strip():
        return ""
    if "<" not in html and "&" not in html:
        return html
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return html
    text = element_text(root)
    return text


def iter_jsonld(html_root: lxml.html.HtmlElement) -> Iterator[Any | Exception]:
    """Each ``application/ld+json`` block parsed, or the exception that made it unreadable."""
    for script in html_root.iter("script"):
        if (script.get("type") or "").split(";")[0].strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            yield json.loads(raw)
        except ValueError as exc:
            yield exc


def walk_jsonld(data: Any) -> Iterator[dict[str, Any]]:
    """Every JSON-LD node in ``data``: lists, ``@graph`` arrays and nested objects."""
    if isinstance(data, list):
        for value in data:
            yield from walk_jsonld(value)
    elif isinstance(data, dict):
        yield data
        for key, value in data.items():
            if key == "@graph" or isinstance(value, list | dict):
                yield from walk_jsonld(value)


def has_type(node: dict[str, Any], name: str) -> bool:
    types = node.get("@type")
    values = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.rsplit("/", 1)[-1] == name for t in values)
