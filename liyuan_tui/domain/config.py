"""Settings of the duty desk and where each came from.

Each setting is taken from the command-line flag, else the environment, else the user's
config.toml, else the shared /etc/liyuan/config.toml, else the default. Nothing happens at import
time: `load_settings()` is called by the entry point and the result passed in.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SYSTEM_CONFIG = Path("/etc/liyuan/config.toml")
LANGUAGES = ("zh", "en")
DEFAULT_TZ = "Asia/Shanghai"


class ConfigError(ValueError):
    """A setting has a value the desk cannot use; the message names the setting."""


@dataclass(frozen=True)
class Settings:
    db_url: str
    lang: str = "zh"
    tz_name: str = DEFAULT_TZ
    procedures_dir: Path | None = None  # None: the shipped data/procedures
    fees_file: Path | None = None  # None: the shipped data/fees.toml
    login: str = ""
    os_login: str = ""
    sources: Mapping[str, str] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)

    @property
    def db_path(self) -> Path | None:
        """The SQLite file, or None for another database."""
        prefix = "sqlite:///"
        if self.db_url.startswith(prefix) and self.db_url != prefix + ":memory:":
            return Path(self.db_url[len(prefix):])
        return None


def user_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("liyuan", appauthor=False)) / "config.toml"


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("liyuan", appauthor=False)) / "liyuan.db"


def db_url_from(value: str) -> str:
    """A database given as a URL stays a URL; a plain path becomes an absolute sqlite URL."""
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def os_login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry and no LOGNAME: still refuse politely later
        return ""


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {path}: {exc}") from exc


def load_settings(
    flags: Mapping[str, str | None] | None = None,
    env: Mapping[str, str] | None = None,
    config_files: tuple[Path, ...] | None = None,
) -> Settings:
    """Resolve every setting; `flags` holds command-line values (None when not given)."""
    flags = flags or {}
    env = os.environ if env is None else env
    if config_files is None:
        config_files = (user_config_path(), SYSTEM_CONFIG)
    files = [(p, _read_toml(p)) for p in config_files]

    sources: dict[str, str] = {}

    def pick(name: str, flag: str, env_name: str, default: str | None) -> str | None:
        if flags.get(flag):
            sources[name] = f"--{flag.replace('_', '-')}"
            return flags[flag]
        if env.get(env_name):
            sources[name] = f"${env_name}"
            return env[env_name]
        for path, data in files:
            if data.get(name) not in (None, ""):
                sources[name] = str(path)
                return str(data[name])
        sources[name] = "default"
        return default

    db = pick("db", "db", "LIYUAN_DB", None)
    if db is None:
        db = str(default_db_path())
    lang = pick("lang", "lang", "LIYUAN_LANG", "zh") or "zh"
    if lang not in LANGUAGES:
        raise ConfigError(f"language: '{lang}' is not one of {', '.join(LANGUAGES)} (from {sources['lang']})")
    tz_name = pick("tz", "tz", "LIYUAN_TZ", DEFAULT_TZ) or DEFAULT_TZ
    try:
        ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"time zone: '{tz_name}' is not a known zone (from {sources['tz']})") from exc
    procedures = pick("procedures", "procedures", "LIYUAN_PROCEDURES", None)
    fees = pick("fees", "fees", "LIYUAN_FEES", None)
    real = os_login()
    login = pick("user", "user", "LIYUAN_USER", real) or ""
    return Settings(
        db_url=db_url_from(db),
        lang=lang,
        tz_name=tz_name,
        procedures_dir=Path(procedures).expanduser() if procedures else None,
        fees_file=Path(fees).expanduser() if fees else None,
        login=login,
        os_login=real,
        sources=sources,
    )
