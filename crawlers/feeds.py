"""RSS 2.0 / Atom parsing with lxml (entities and network access off: feed bodies are hostile)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

_PARSER_OPTIONS = {"recover": True, "resolve_entities": False, "no_network": True, "huge_tree": False}


@dataclass
class FeedEntry:
    """One ``<item>`` or ``<entry>``; ``element`` keeps the node for format-specific fields."""

    link: str | None
    title: str | None = None
    published: str | None = None
    summary: str | None = None
    content: str | None = None
    author: str | None = None
    guid: str | None = None
    categories: list[str] = field(default_factory=list)
    element: etree._Element | None = None


def looks_like_feed(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head


def parse_feed(body: bytes) -> list[FeedEntry]:
    """The entries of an RSS or Atom feed; an unreadable body gives an empty list."""
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(**_PARSER_OPTIONS))
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    entries = []
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        name = etree.QName(node).localname
        if name == "item":
            entries.append(_rss_item(node))
        elif name == "entry":
            entries.append(_atom_entry(node))
    return entries


def child(node: etree._Element, name: str, ns: str | None = None) -> etree._Element | None:
    """The first child called ``name`` (any namespace unless ``ns`` is given)."""
    for sub in node:
        if not isinstance(sub.tag, str):
            continue
        qname = etree.QName(sub)
        if qname.localname == name and (ns is None or qname.namespace == ns):
            return sub
    return None


def text(node: etree._Element, name: str, ns: str | None = None) -> str | None:
    sub = child(node, name, ns)
    if sub is None:
        return None
    value = "".join(sub.itertext()).strip()
    return value or None


def _rss_item(node: etree._Element) -> FeedEntry:
    author = text(node, "creator") or text(node, "author")
    return FeedEntry(
        link=text(node, "link") or _guid_link(node),
        title=text(node, "title"),
        published=text(node, "pubDate") or text(node, "date") or text(node, "published"),
        summary=text(node, "description"),
        content=text(node, "encoded"),
        author=author,
        guid=text(node, "guid"),
        categories=[c.text.strip() for c in node if _is(c, "category") and c.text and c.text.strip()],
        element=node,
    )


def _guid_link(node: etree._Element) -> str | None:
    guid = child(node, "guid")
    if guid is not None and guid.get("isPermaLink", "true") != "false" and guid.text:
        value = guid.text.strip()
        return value if value.startswith(("http://", "https://")) else None
    return None


def _atom_entry(node: etree._Element) -> FeedEntry:
    link = None
    for sub in node:
        if _is(sub, "link") and sub.get("rel", "alternate") == "alternate" and sub.get("href"):
            link = sub.get("href")
            break
    author_node = child(node, "author")
    author = text(author_node, "name") if author_node is not None else None
    return FeedEntry(
        link=link,
        title=text(node, "title"),
        published=text(node, "published") or text(node, "updated"),
        summary=text(node, "summary"),
        content=text(node, "content"),
        author=author,
        guid=text(node, "id"),
        categories=[c.get("term", "") for c in node if _is(c, "category") and c.get("term")],
        element=node,
    )


def _is(node: etree._Element, name: str) -> bool:
    return isinstance(node.tag, str) and etree.QName(node).localname == name
