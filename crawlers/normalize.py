"""Plain functions behind the normalise pipeline (shared with ``pantau import``).

Canonical URLs, dates to UTC, counts such as "1.2K", and hashtags / mentions / links found in text.
Nothing here fetches or executes anything found in a post.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateparser

#: query parameters that only track the reader; removed from canonical URLs
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "igsh",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref_src",
        "ref_url",
        "cmpid",
        "spm",
        "si",
        "feature",
        "share_source",
        "is_from_webapp",
        "sender_device",
        "s_cid",
        "oly_enc_id",
        "__twitter_impression",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "hsa_", "vero_")

_DEFAULT_PORTS = {"http": 80, "https": 443}
#: control characters (Unicode category Cc) except tab, line feed and carriage return
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_HASHTAG = re.compile(r"(?<![\w&/#])#(\w{1,100})")
_MENTION = re.compile(r"(?<![\w.@/])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)")
_LINK = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\"»”’"

_COUNT = re.compile(r"^([0-9]+(?:[.,][0-9]+)*)\s*([kmbjt]|rb|ribu|jt|juta|mn)?$", re.IGNORECASE)
_MULTIPLIERS = {
    "k": 1_000,
    "rb": 1_000,
    "ribu": 1_000,
    "m": 1_000_000,
    "jt": 1_000_000,
    "juta": 1_000_000,
    "j": 1_000_000,
    "b": 1_000_000_000,
    "mn": 1_000_000_000,
    "t": 1_000_000_000_000,
}


def canonical_url(url: str | None, base: str | None = None) -> str | None:
    """The canonical form of an http(s) URL, or None when it is not one.

    Lowercases scheme and host, drops default ports, fragments and tracking parameters (``utm_*``,
    ``fbclid``, ...), keeps the order of the other parameters.

    >>> canonical_url("HTTPS://Example.COM:443/a?utm_source=x&id=3#top")
    'https://example.com/a?id=3'
    """
    if not url:
        return None
    url = url.strip()
    if base and not urlsplit(url).scheme:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query, doseq=True), ""))


def parse_count(value: object) -> int | None:
    """An engagement count from ``1234``, ``"1,234"``, ``"1.2K"``, ``"3,4 rb"`` or ``"2 jt"``.

    >>> parse_count("1.2K"), parse_count("15"), parse_count("3,4 rb"), parse_count(None)
    (1200, 15, 3400, None)
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value >= 0 else None
    text = str(value).strip().replace("\u00a0", " ")
    text = re.sub(r"\s*(views?|tayangan|x ditonton|ditonton)$", "", text, flags=re.IGNORECASE).strip()
    match = _COUNT.match(text)
    if not match:
        return None
    number, suffix = match.groups()
    if suffix:
        # with a suffix, "," or "." is a decimal separator: "1.2K", "3,4 rb"
        try:
            base = float(number.replace(",", "."))
        except ValueError:
            return None
        return int(round(base * _MULTIPLIERS[suffix.lower()]))
    # without one they group thousands: "1,234" or "1.234"
    return int(re.sub(r"[.,]", "", number))


def parse_date(value: object, default_tz: str = "Asia/Jakarta") -> datetime | None:
    """A timezone-aware UTC datetime from a datetime, unix seconds (or ms), ISO 8601 or RFC 822.

    Naive values are read in ``default_tz`` (Indonesian sites print local time). Raises ValueError
    when the value is present but unreadable.
    """
    if value is None or value == "":
        return None
    tz = _zone(default_tz)
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        parsed = _from_epoch(float(value))
    else:
        text = str(value).strip()
        if re.fullmatch(r"\d{9,13}(\.\d+)?", text):
            parsed = _from_epoch(float(text))
        else:
            parsed = _parse_text_date(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(UTC)


def _from_epoch(seconds: float) -> datetime:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    return datetime.fromtimestamp(seconds, UTC)


def _parse_text_date(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    try:
        parsed: datetime = dateparser.parse(text)
        return parsed
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"unreadable date {text[:60]!r}") from exc


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def clean_text(text: str | None) -> str:
    """NFC, whitespace collapsed per line, control characters other than newlines removed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    # keep format characters (zero-width, bidi marks): they are evidence of manipulation, escaped later
    text = _CONTROL.sub("", text)
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def extract_hashtags(text: str) -> list[str]:
    """Hashtags in order of first appearance, without ``#``, dropping case-insensitive repeats."""
    return _unique(m.group(1) for m in _HASHTAG.finditer(text) if not m.group(1).isdigit())


def extract_mentions(text: str) -> list[str]:
    return _unique(m.group(1).rstrip(".") for m in _MENTION.finditer(text))


def extract_links(text: str) -> list[str]:
    links = []
    for match in _LINK.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        canon = canonical_url(url)
        if canon:
            links.append(canon)
    return list(dict.fromkeys(links))


def _unique(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out
