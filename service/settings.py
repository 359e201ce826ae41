"""Configuration: one frozen `Settings`, built from an injected mapping (`TM_` prefix)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """Everything the service and CLI are configured with."""

    db: Path = Path("tm.db")
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 50 * 1024 * 1024
    max_query_chars: int = 2000
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    max_in_flight: int = 64
    jobs_folder: Path | None = None
    allowed_hosts: tuple[str, ...] = field(default_factory=tuple)
    busy_timeout_ms: int = 10_000

    def hosts(self) -> list[str]:
        """The names a request's Host header may give: `allowed_hosts` (`*` for any), or by
        default the bound host, localhost, 127.0.0.1 and [::1] (a page of another site that
        resolves its own name to this machine is refused: DNS rebinding)."""
        if self.allowed_hosts:
            return list(self.allowed_hosts)
        bound = f"[{self.host}]" if ":" in self.host else self.host
        return list(dict.fromkeys([bound, "localhost", "127.0.0.1", "[::1]"]))

    @classmethod
    def from_mapping(cls, values: Mapping[str, str]) -> Settings:
        """Read `TM_DB`, `TM_HOST`, `TM_PORT`, `TM_MAX_BODY_BYTES`, `TM_MAX_QUERY_CHARS`,
        `TM_CORS_ORIGINS` and `TM_ALLOWED_HOSTS` (comma-separated), `TM_MAX_IN_FLIGHT`,
        `TM_JOBS_FOLDER` (where the worker processes of one service share their jobs' states;
        none for one process), `TM_BUSY_TIMEOUT_MS` (how long a request's write waits behind
        another, such as an import, before a 503) from `values` (`os.environ`)."""
        defaults = cls()
        origins = values.get("TM_CORS_ORIGINS", "")
        hosts = values.get("TM_ALLOWED_HOSTS", "")
        return cls(
            db=Path(values.get("TM_DB", str(defaults.db))),
            host=values.get("TM_HOST", defaults.host),
            port=int(values.get("TM_PORT", defaults.port)),
            max_body_bytes=int(values.get("TM_MAX_BODY_BYTES", defaults.max_body_bytes)),
            max_query_chars=int(values.get("TM_MAX_QUERY_CHARS", defaults.max_query_chars)),
            cors_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
            max_in_flight=int(values.get("TM_MAX_IN_FLIGHT", defaults.max_in_flight)),
            jobs_folder=Path(values["TM_JOBS_FOLDER"]) if values.get("TM_JOBS_FOLDER") else None,
            allowed_hosts=tuple(h.strip() for h in hosts.split(",") if h.strip()),
            busy_timeout_ms=int(values.get("TM_BUSY_TIMEOUT_MS", defaults.busy_timeout_ms)),
        )
