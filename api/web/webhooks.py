"""Where an alert webhook may go: public http(s) addresses only, checked when the URL is saved and again
before every delivery (a name's DNS answer can change in between).

A webhook URL is configured by a user and fetched by the server, so without checks it is a server-side
request forgery: ``http://169.254.169.254/`` (cloud metadata), ``http://127.0.0.1:9200/`` (a local
Elasticsearch), ``http://10.0.0.1/admin``. :func:`check_webhook_url` refuses, with a reason naming the
URL and the address:

- schemes other than ``http`` and ``https``, URLs with credentials (``user:pw@``), URLs without a host;
- hosts that do not resolve, and hosts with *any* resolved address that is loopback, private, link-local,
  multicast, reserved, unspecified or otherwise not globally routable — IPv4 and IPv6, including IPv4
  addresses inside IPv6 ones (``::ffff:10.0.0.1``, 6to4 ``2002::/16``, NAT64 ``64:ff9b::/96``).

Hosts an administrator lists in ``settings.api.webhook_allow_hosts`` (names or IP literals, compared
case-insensitively) skip the address check. For any other host the delivery connects to the address that
was checked (:meth:`WebhookTarget.pinned`), with the original name in the ``Host`` header and as the TLS
server name, so a second DNS answer cannot send it elsewhere.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from pantau.errors import ConfigError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

NAT64 = ipaddress.ip_network("64:ff9b::/96")


class WebhookRefused(ConfigError):
    """A webhook URL that pantau will not call."""


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (TCP); :class:`WebhookRefused` when it does not resolve."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise WebhookRefused(f"webhook host {host!r} does not resolve ({exc})") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def why_internal(address: IPAddress) -> str | None:
    """Why ``address`` is not a public internet address, or None when it is."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is None and address in NAT64:
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None:
            reason = why_internal(inner)
            return f"{reason} inside an IPv6 address" if reason else None
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("not globally routable", not address.is_global),
    )
    for name, hit in checks:
        if hit:
            return f"a {name} address"
    return None


@dataclass(frozen=True)
class WebhookTarget:
    """A checked webhook URL: its parts and the addresses it may be delivered to."""

    url: str
    scheme: str
    host: str
    port: int
    #: checked addresses; empty when the host is on the admin's allow-list (connect by name)
    addresses: tuple[str, ...]

    def pinned(self) -> tuple[str, dict[str, str], dict[str, str]]:
        """``(url, headers, extensions)`` of a request that connects to the checked address: the URL
        with the address as host, ``Host`` with the name, and the TLS server name (``sni_hostname``)."""
        if not self.addresses:
            return self.url, {}, {}
        parts = urlsplit(self.url)
        address = self.addresses[0]
        literal = f"[{address}]" if ":" in address else address
        default = 443 if self.scheme == "https" else 80
        netloc = literal if parts.port is None else f"{literal}:{parts.port}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        host_header = host if self.port == default else f"{host}:{self.port}"
        url = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        extensions = {"sni_hostname": self.host} if self.scheme == "https" else {}
        return url, {"Host": host_header}, extensions


def check_webhook_url(
    url: str, allow_hosts: Sequence[str] = (), *, resolver: Resolver = resolve
) -> WebhookTarget:
    """The checked target of ``url``; :class:`WebhookRefused` naming the URL and the reason otherwise."""
    shown = url[:200]
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise WebhookRefused(f"webhook URL {shown!r} is not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise WebhookRefused(f"webhook URL {shown!r}: scheme {scheme or '(none)'!r} is not http or https")
    if parts.username is not None or parts.password is not None:
        raise WebhookRefused(
            f"webhook URL {shown.split('//', 1)[0]}//…@{parts.hostname or ''}: credentials in a URL are "
            "not allowed — use the signature (settings.api.webhook_secret) to authenticate pantau"
        )
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise WebhookRefused(f"webhook URL {shown!r} has no host")
    port = port or (443 if scheme == "https" else 80)
    allowed = {h.strip().strip("[]").rstrip(".").lower() for h in allow_hosts if h.strip()}
    if host in allowed:
        return WebhookTarget(url.strip(), scheme, host, port, ())
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = resolver(host, port)
    if not addresses:
        raise WebhookRefused(f"webhook host {host!r} does not resolve")
    for text in addresses:
        try:
            address = ipaddress.ip_address(text.split("%", 1)[0])
        except ValueError:
            raise WebhookRefused(f"webhook host {host!r} resolved to {text!r}, not an IP address") from None
        reason = why_internal(address)
        if reason is not None:
            raise WebhookRefused(
                f"webhook URL {shown!r}: host {host!r} is {reason} ({address}) — pantau only calls public "
                "addresses; an admin can allow this host in settings.api.webhook_allow_hosts"
            )
    return WebhookTarget(url.strip(), scheme, host, port, tuple(addresses))
