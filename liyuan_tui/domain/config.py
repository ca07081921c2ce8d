"""Settings of the duty desk and where each came from, and who is running it.

Each setting is taken from the command-line flag, else the environment, else the user's
config.toml, else the shared /etc/liyuan/config.toml (written by `liyuan site init`; the
LIYUAN_CONFIG environment variable names another file), else the default. Nothing happens at
import time: `load_settings()` is called by the entry point and the result passed in.

The login is the name of the process's real user id, never $USER or $LOGNAME (anyone can set
those). Acting as another login (--user, LIYUAN_USER) is asked for here and allowed or refused by
the store, which knows the roles.
"""

from __future__ import annotations

import os
import pwd
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SYSTEM_CONFIG = Path("/etc/liyuan/config.toml")
CONFIG_ENV = "LIYUAN_CONFIG"  # another shared config file instead of /etc/liyuan/config.toml
LANGUAGES = ("zh", "en")
DEFAULT_TZ = "Asia/Shanghai"
# The databases the desk speaks: a SQLite file (a path, or sqlite:///path) or PostgreSQL.
DB_SCHEMES = ("sqlite", "postgresql")
MAX_SETTING = 255  # a longer zone name or path is a mistake (and too long for a file name)


class ConfigError(ValueError):
    """A setting has a value the desk cannot use; the message names the setting. `key` and
    `params`, when set, say it in the user's language (messages/*.toml)."""

    key: str | None = None
    params: dict[str, Any] = {}  # (replaced, never changed, by a subclass)


class ConfigUnreadable(ConfigError):
    """The site's config file is there but this login may not read it: it must join a group."""

    key = "error.no_access"

    def __init__(self, path: Path, blocked: Path, group: str) -> None:
        self.params = {"path": str(blocked), "group": group, "login": os_login() or "?"}
        super().__init__(f"config file {path}: cannot be read ({blocked}: join the group {group})")


@dataclass(frozen=True)
class Settings:
    db_url: str
    lang: str = "zh"
    tz_name: str = DEFAULT_TZ  # the zone this user sees times in (--tz, LIYUAN_TZ, config, default)
    site_tz_name: str = DEFAULT_TZ  # the site's zone: refs and months (config files only, never --tz)
    procedures_dir: Path | None = None  # None: the shipped data/procedures
    fees_file: Path | None = None  # None: the shipped data/fees.toml
    answers_dir: Path | None = None  # a site's canned answers (None: the shipped examples only)
    login: str = ""  # whom the desk acts as: the OS login, or --user / LIYUAN_USER
    os_login: str = ""  # the real login of this process (its real uid's name)
    os_root: bool = False  # the real uid is 0: root may act as any login
    sources: Mapping[str, str] = field(default_factory=dict)

    @property
    def db_is_personal_default(self) -> bool:
        """The database is the personal default (no flag, environment or config names one): the
        only one the desk creates without being asked."""
        return self.sources.get("db") == "default"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)

    @property
    def site_tz(self) -> ZoneInfo:
        """The site's zone: a request's ref, a work order's number and a report's month are the
        site's, whatever zone one terminal was started in."""
        return ZoneInfo(self.site_tz_name)

    @property
    def db_path(self) -> Path | None:
        """The SQLite file, or None for another database."""
        prefix = "sqlite:///"
        if self.db_url.startswith(prefix) and self.db_url != prefix + ":memory:":
            return Path(self.db_url[len(prefix) :])
        return None


def user_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("liyuan", appauthor=False)) / "config.toml"


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("liyuan", appauthor=False)) / "liyuan.db"


def expand(value: str) -> Path:
    """`~` and `~login` expanded where they can be (a login with no home stays as typed)."""
    try:
        return Path(value).expanduser()
    except RuntimeError:
        return Path(value)


def db_url_from(value: str) -> str:
    """A database given as a URL stays a URL; a plain path becomes an absolute sqlite URL."""
    if "://" in value:
        return value
    return "sqlite:///" + str(expand(value).resolve())


def system_config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else SYSTEM_CONFIG


def os_login() -> str:
    """The name of this process's real user id (what the system says, not the environment)."""
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a uid with no passwd entry: no login, refused politely by the store
        return ""


def check_db(value: str, source: str) -> str:
    """A database the desk can open: a file path, or a sqlite or postgresql URL."""
    if "://" in value:
        scheme = value.split("://", 1)[0].split("+", 1)[0].lower()
        if scheme not in DB_SCHEMES:
            raise ConfigError(
                f"database: '{_short(value)}' is neither a file nor a sqlite:// or postgresql:// "
                f"URL (from {source})"
            )
    if "\x00" in value:
        raise ConfigError(f"database: '{_short(value)}' is not a usable file name (from {source})")
    return value


def _short(value: str) -> str:
    from .safe_text import visible

    return visible(value, newlines=False, limit=80)


def _zone(name: str, source: str) -> str:
    """A zone name the desk can use, or a refusal naming where it came from."""
    try:
        if len(name) > MAX_SETTING:
            raise ValueError("too long")
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ConfigError(f"time zone: '{_short(name)}' is not a known zone (from {source})") from exc
    return name


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except PermissionError as exc:
        from .access import blocked_by

        blocked = blocked_by(path)
        if blocked is not None:
            raise ConfigUnreadable(path, *blocked) from exc
        raise ConfigError(f"config file {path}: {exc}") from exc
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
        config_files = (user_config_path(), system_config_path(env))
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
    db = check_db(db, sources["db"]) if db is not None else str(default_db_path())
    lang = pick("lang", "lang", "LIYUAN_LANG", "zh") or "zh"
    if lang not in LANGUAGES:
        raise ConfigError(
            f"language: '{_short(lang)}' is not one of {', '.join(LANGUAGES)} (from {sources['lang']})"
        )
    tz_name = _zone(pick("tz", "tz", "LIYUAN_TZ", DEFAULT_TZ) or DEFAULT_TZ, sources["tz"])
    site_tz_name = DEFAULT_TZ
    sources["site_tz"] = "default"
    for path, data in files:  # the site's own files say its zone; a flag or the environment never
        if data.get("tz") not in (None, ""):
            site_tz_name, sources["site_tz"] = _zone(str(data["tz"]), str(path)), str(path)
            break
    procedures = pick("procedures", "procedures", "LIYUAN_PROCEDURES", None)
    fees = pick("fees", "fees", "LIYUAN_FEES", None)
    answers = pick("answers", "answers", "LIYUAN_ANSWERS", None)
    for name, value in (("procedures", procedures), ("fees", fees), ("answers", answers), ("db", db)):
        if value is not None and (len(value) > 4096 or "\x00" in value):
            raise ConfigError(f"{name}: '{_short(value)}' is not a usable path (from {sources[name]})")
    real = os_login()
    login = pick("user", "user", "LIYUAN_USER", real) or ""
    if login != real:
        from . import validation
        from .errors import ValidationError

        try:
            validation.login(login, "user")
        except ValidationError:
            raise ConfigError(f"user: '{_short(login)}' is not a login (from {sources['user']})") from None
    return Settings(
        db_url=db_url_from(db),
        lang=lang,
        tz_name=tz_name,
        site_tz_name=site_tz_name,
        procedures_dir=expand(procedures) if procedures else None,
        fees_file=expand(fees) if fees else None,
        answers_dir=expand(answers) if answers else None,
        login=login,
        os_login=real,
        os_root=os.getuid() == 0,
        sources=sources,
    )
