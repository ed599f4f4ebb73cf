"""Elasticsearch client options come from settings (the cluster legs run in test_base.py with -m es)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from indexes.es_index import client_options
from pantau.errors import ConfigError
from pantau.settings import IndexSettings, Settings


def with_index(settings: Settings, **values: object) -> Settings:
    return settings.model_copy(update={"index": IndexSettings(backend="elasticsearch", **values)})  # type: ignore[arg-type]


def test_api_key_tls_and_ca_bundle(settings: Settings) -> None:
    cfg = with_index(
        settings,
        es_url="https://es.example.org:9200",
        es_api_key=SecretStr("k3y"),
        es_username="ignored",
        es_password=SecretStr("ignored"),
        es_ca_certs=Path("/etc/pantau/ca.pem"),
    )
    url, options = client_options(cfg)
    assert url == "https://es.example.org:9200"
    assert options["api_key"] == "k3y" and "basic_auth" not in options
    assert options["verify_certs"] is True and options["ca_certs"] == "/etc/pantau/ca.pem"
    assert options["max_retries"] == 3 and options["retry_on_timeout"] is True


def test_basic_auth_over_plain_http(settings: Settings) -> None:
    cfg = with_index(
        settings, es_url="http://127.0.0.1:9200", es_username="pantau", es_password=SecretStr("s3cret-pw")
    )
    _, options = client_options(cfg)
    assert options["basic_auth"] == ("pantau", "s3cret-pw") and "verify_certs" not in options


def test_missing_url_names_the_setting(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="PANTAU_INDEX__ES_URL"):
        client_options(with_index(settings))
