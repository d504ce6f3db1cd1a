"""Every server setting, declared once: name, default, help.

Read in one order: command-line flag > environment variable > default. ``docs/settings.md`` is
generated from these declarations (and a test keeps it current), so the help a user reads is
the help the code carries.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str
    flag: str | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting("host", "OPENGLUE_HOST", "127.0.0.1", "Address the API server binds to.", "--host"),
    Setting(
        "port",
        "OPENGLUE_PORT",
        "4599",
        "TCP port of the API server (0 picks a free one).",
        "--port",
    ),
    Setting(
        "data_dir",
        "OPENGLUE_HOME",
        ".openglue",
        "Data directory: the embedded SQLite catalog, the embedded buckets (buckets/), job "
        "runs' working directories (runs/) and their logs (logs/) live here.",
        "--data-dir",
    ),
    Setting(
        "store_url",
        "OPENGLUE_STORE_URL",
        "",
        "SQLAlchemy URL of the catalog store. Empty means SQLite in the data directory; "
        "use postgresql+psycopg://user:pass@host/db for production.",
        "--store-url",
    ),
    Setting(
        "access_keys",
        "OPENGLUE_ACCESS_KEYS",
        "",
        "Turns SigV4 authentication on: comma-separated ACCESS_KEY_ID:SECRET pairs. Empty "
        "(the default) accepts any credentials, like other local endpoints.",
        "--access-keys",
    ),
    Setting(
        "region",
        "OPENGLUE_REGION",
        "us-east-1",
        "Region this endpoint answers for (used in ARNs).",
        "--region",
    ),
    Setting(
        "account_id",
        "OPENGLUE_ACCOUNT_ID",
        "123456789012",
        "Account id reported as CatalogId and used in ARNs.",
        "--account-id",
    ),
    Setting(
        "max_body_bytes",
        "OPENGLUE_MAX_BODY_BYTES",
        str(16 * 1024 * 1024),
        "Largest request body accepted; larger ones are refused with HTTP 413.",
        "--max-body-bytes",
    ),
    Setting(
        "log_level",
        "OPENGLUE_LOG_LEVEL",
        "info",
        "Server log level: debug, info, warning or error.",
        "--log-level",
    ),
    Setting(
        "job_timeout_unit_seconds",
        "OPENGLUE_JOB_TIMEOUT_UNIT_SECONDS",
        "60",
        "Seconds in one minute of a job's Timeout. Only for tests: a smaller unit lets a "
        "Timeout of 1 end a run in seconds.",
        "--job-timeout-unit-seconds",
    ),
    Setting(
        "s3_endpoint_url",
        "AWS_ENDPOINT_URL_S3",
        "",
        "S3-compatible endpoint (MinIO, Ceph, AWS) that s3:// addresses live on, for crawlers "
        "and job runs alike. Empty means the embedded local buckets under the data directory.",
        "--s3-endpoint-url",
    ),
    Setting(
        "s3_access_key_id",
        "OPENGLUE_S3_ACCESS_KEY_ID",
        "",
        "Access key for the S3 endpoint. Empty means AWS's own lookup in the server's "
        "environment (AWS_ACCESS_KEY_ID, profiles).",
        "--s3-access-key-id",
    ),
    Setting(
        "s3_secret_access_key",
        "OPENGLUE_S3_SECRET_ACCESS_KEY",
        "",
        "Secret key for the S3 endpoint (set together with the access key).",
        "--s3-secret-access-key",
    ),
    Setting(
        "s3_region",
        "OPENGLUE_S3_REGION",
        "",
        "Region to sign S3 requests for. Empty means the server's region.",
        "--s3-region",
    ),
    Setting(
        "event_poll_seconds",
        "OPENGLUE_EVENT_POLL_SECONDS",
        "5",
        "How often EVENT triggers' prefixes are listed for new objects (embedded buckets also "
        "notify at once where the OS can). 0 turns polling off: events then come only from "
        "S3 notifications sent to /events/s3.",
        "--event-poll-seconds",
    ),
    Setting(
        "event_webhook_token",
        "OPENGLUE_EVENT_WEBHOOK_TOKEN",
        "",
        "Shared secret that S3 event notifications posted to /events/s3 must carry as "
        "'Authorization: Bearer <token>' (MinIO's webhook auth_token). Empty accepts any.",
        "--event-webhook-token",
    ),
)


@dataclass(frozen=True)
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 4599
    data_dir: Path = Path(".openglue")
    store_url: str = ""
    access_keys: dict[str, str] = field(default_factory=dict)
    region: str = "us-east-1"
    account_id: str = "123456789012"
    max_body_bytes: int = 16 * 1024 * 1024
    log_level: str = "info"
    job_timeout_unit_seconds: float = 60.0
    s3_endpoint_url: str = ""
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    s3_region: str = ""
    event_poll_seconds: float = 5.0
    event_webhook_token: str = ""

    @property
    def resolved_store_url(self) -> str:
        if self.store_url:
            return self.store_url
        return f"sqlite:///{(self.data_dir / 'catalog.db').resolve()}"

    @property
    def store_summary(self) -> str:
        if self.store_url:
            return "with the store at " + self.store_url.split("@")[-1]
        return f"with its catalog in {self.data_dir.resolve()}"

    @property
    def auth_enabled(self) -> bool:
        return bool(self.access_keys)


def parse_access_keys(text: str) -> dict[str, str]:
    """``AKID:SECRET,AKID2:SECRET2`` → mapping. A malformed pair is a startup error."""
    keys: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        key_id, sep, secret = pair.partition(":")
        if not sep or not key_id or not secret:
            raise ValueError(f"access key {pair!r} must look like ACCESS_KEY_ID:SECRET")
        keys[key_id] = secret
    return keys


def load_settings(
    flags: Mapping[str, str | None], environ: Mapping[str, str] | None = None
) -> ServerSettings:
    """Resolve every setting: flag (when given) > environment > declared default."""
    env = os.environ if environ is None else environ
    raw: dict[str, str] = {}
    for setting in SETTINGS:
        flag_value = flags.get(setting.name)
        if flag_value is not None:
            raw[setting.name] = flag_value
        else:
            raw[setting.name] = env.get(setting.env, setting.default)
    try:
        port = int(raw["port"])
        max_body = int(raw["max_body_bytes"])
    except ValueError as exc:
        raise ValueError(f"port and max-body-bytes must be integers: {exc}") from None
    if not 0 <= port <= 65535:
        raise ValueError(f"port {port} is outside 0..65535")
    try:
        timeout_unit = float(raw["job_timeout_unit_seconds"])
    except ValueError:
        timeout_unit = -1.0
    if not timeout_unit > 0:
        given = raw["job_timeout_unit_seconds"]
        raise ValueError(f"job-timeout-unit-seconds must be a positive number; got {given!r}")
    _check_s3(raw)
    event_poll = _event_poll_seconds(raw["event_poll_seconds"])
    return ServerSettings(
        host=raw["host"],
        port=port,
        data_dir=Path(raw["data_dir"]),
        store_url=raw["store_url"],
        access_keys=parse_access_keys(raw["access_keys"]),
        region=raw["region"],
        account_id=raw["account_id"],
        max_body_bytes=max_body,
        log_level=raw["log_level"].lower(),
        job_timeout_unit_seconds=timeout_unit,
        s3_endpoint_url=raw["s3_endpoint_url"].strip(),
        s3_access_key_id=raw["s3_access_key_id"],
        s3_secret_access_key=raw["s3_secret_access_key"],
        s3_region=raw["s3_region"].strip(),
        event_poll_seconds=event_poll,
        event_webhook_token=raw["event_webhook_token"].strip(),
    )


def _event_poll_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise ValueError(f"event-poll-seconds must be 0 (off) or a positive number; got {text!r}")
    return seconds


def _check_s3(raw: Mapping[str, str]) -> None:
    endpoint = raw["s3_endpoint_url"].strip()
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise ValueError(f"s3-endpoint-url must start with http:// or https://; got {endpoint!r}")
    if bool(raw["s3_access_key_id"]) != bool(raw["s3_secret_access_key"]):
        raise ValueError("s3-access-key-id and s3-secret-access-key must be given together")


def settings_markdown() -> str:
    """The settings reference, generated from the declarations above."""
    lines = [
        "# Settings",
        "",
        "Generated from `src/openglue/settings.py`; a test keeps this file current.",
        "Order of precedence: command-line flag > environment variable > default.",
        "",
        "| Setting | Flag | Environment | Default | What it does |",
        "|---|---|---|---|---|",
    ]
    for s in SETTINGS:
        default = f"`{s.default}`" if s.default else "(empty)"
        lines.append(f"| {s.name} | `{s.flag}` | `{s.env}` | {default} | {s.help} |")
    return "\n".join(lines) + "\n"
