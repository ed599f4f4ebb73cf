"""Webhook target checks (SSRF): which URLs pantau calls, and that a delivery goes to the checked address."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

import pytest

from api.web.alerts import _send
from api.web.webhooks import WebhookRefused, WebhookTarget, check_webhook_url, resolve, why_internal
from tests.api.web.conftest import Receiver


def answers(*addresses: str) -> Any:
    """A resolver giving fixed DNS answers (what a hostile DNS server could say)."""
    return lambda host, port: list(addresses)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not globally routable"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:10.0.0.1", "private address inside an IPv6"),
        ("::ffff:169.254.169.254", "link-local address inside an IPv6"),
        ("2002:7f00:1::", "loopback address inside an IPv6"),
        ("64:ff9b::a00:1", "private address inside an IPv6"),
    ],
)
def test_internal_addresses_are_named(address: str, reason: str) -> None:
    why = why_internal(ipaddress.ip_address(address))
    assert why is not None and reason in why


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1::1", "::ffff:93.184.216.34"])
def test_public_addresses_pass(address: str) -> None:
    assert why_internal(ipaddress.ip_address(address)) is None


def test_a_name_with_one_internal_answer_is_refused() -> None:
    with pytest.raises(WebhookRefused, match=r"hooks\.contoh\.id.*private.*10\.1\.2\.3"):
        check_webhook_url("https://hooks.contoh.id/x", resolver=answers("93.184.216.34", "10.1.2.3"))


def test_an_unresolvable_name_is_refused() -> None:
    with pytest.raises(WebhookRefused, match="does not resolve"):
        check_webhook_url("https://tidak-ada.invalid/x")
    with pytest.raises(WebhookRefused, match="does not resolve"):
        resolve("tidak-ada.invalid", 443)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://contoh.id/x", "scheme 'ftp'"),
        ("file:///etc/passwd", "scheme 'file'"),
        ("javascript:alert(1)", "scheme 'javascript'"),
        ("//contoh.id/x", "scheme '(none)'"),
        ("https://user:rahasia@contoh.id/x", "credentials"),
        ("https://token@contoh.id/x", "credentials"),
        ("http://[::1/x", "not a valid URL"),
        ("http://contoh.id:99999/x", "not a valid URL"),
    ],
)
def test_malformed_urls_are_refused_without_echoing_secrets(url: str, reason: str) -> None:
    with pytest.raises(WebhookRefused, match=re.escape(reason)) as err:
        check_webhook_url(url, resolver=answers("93.184.216.34"))
    assert "rahasia" not in str(err.value)


def test_a_public_target_is_pinned_to_the_checked_address() -> None:
    target = check_webhook_url("https://Hooks.Contoh.id:8443/a?b=1#frag", resolver=answers("93.184.216.34"))
    url, headers, extensions = target.pinned()
    assert url == "https://93.184.216.34:8443/a?b=1"
    assert headers == {"Host": "hooks.contoh.id:8443"} and extensions == {"sni_hostname": "hooks.contoh.id"}
    v6 = check_webhook_url("http://hooks.contoh.id/", resolver=answers("2606:2800:220:1::1"))
    assert v6.pinned() == ("http://[2606:2800:220:1::1]/", {"Host": "hooks.contoh.id"}, {})


def test_allowed_hosts_skip_the_address_check_and_are_called_by_name() -> None:
    target = check_webhook_url("http://127.0.0.1:9000/x", ["127.0.0.1"])
    assert target.addresses == () and target.pinned() == ("http://127.0.0.1:9000/x", {}, {})
    assert check_webhook_url("http://[::1]/x", ["[::1]"]).addresses == ()
    with pytest.raises(WebhookRefused):
        check_webhook_url("http://127.0.0.2/x", ["127.0.0.1"])


def test_a_pinned_delivery_connects_to_the_address_and_names_the_host(receiver: str) -> None:
    port = int(receiver.rsplit(":", 1)[1].split("/")[0])
    # the checked address (here the test's own receiver) is where the request goes, whatever DNS says later
    target = WebhookTarget(
        f"http://hooks.contoh.id:{port}/hook", "http", "hooks.contoh.id", port, ("127.0.0.1",)
    )
    status, code, error = _send(target, b"rahasia", {"event": "pantau.alert", "posts": []})
    assert (status, code, error) == ("delivered", 204, None)
    assert [headers["Host"] for headers, _ in Receiver.received] == [f"hooks.contoh.id:{port}"]
