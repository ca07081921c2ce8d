"""The pager's own config file: each person's contact URLs (Apprise URLs: e-mail, SMS gateways,
WeCom, DingTalk, Feishu, ntfy …) and the pager's limits. Channel tokens are secrets no desk login
may read, so the file is the pager service's and root's only; `liyuan pager check` says so when it
is not.

    [contacts]                      # the contract: each login → a list of Apprise URLs
    zhou = ["mailto://…", "wecombot://…"]

    [limits]
    ack_minutes = 5                 # not acknowledged in this long → repeated, backup, next role up
    max_attempts = 10               # a page that keeps failing is given up after this many tries

`/etc/liyuan/pager.toml`, or the file `LIYUAN_PAGER_CONFIG` names. Reading it reports every
problem found (each a message key and its values), never the URLs themselves.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .pager import ACK_MINUTES, MAX_ATTEMPTS

PAGER_CONFIG = Path("/etc/liyuan/pager.toml")
PAGER_CONFIG_ENV = "LIYUAN_PAGER_CONFIG"
TABLES = ("contacts", "limits")
LIMITS = {"ack_minutes": (1, 240, ACK_MINUTES), "max_attempts": (1, 100, MAX_ATTEMPTS)}
MAX_URL = 2000
MAX_CONTACTS = 10
EVERYONE = "*"


@dataclass(frozen=True)
class Problem:
    key: str  # a message in data/messages/pager.toml
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class PagerConfig:
    path: Path
    contacts: dict[str, list[str]] = field(default_factory=dict)
    ack_minutes: int = ACK_MINUTES
    max_attempts: int = MAX_ATTEMPTS
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True  # False: the file could not be read at all

    def urls(self, login: str) -> list[str]:
        return self.contacts.get(login, [])


def pager_config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env[PAGER_CONFIG_ENV]) if env.get(PAGER_CONFIG_ENV) else PAGER_CONFIG


def read_pager_config(path: Path) -> PagerConfig:
    """The config as far as it can be read, with every problem found in it."""
    config = PagerConfig(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        config.readable = False
        config.problems.append(Problem("pager.config.missing", {"path": str(path)}))
        return config
    except PermissionError:
        config.readable = False
        config.problems.append(Problem("pager.config.unreadable", {"path": str(path)}))
        return config
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        config.readable = False
        config.problems.append(Problem("pager.config.not_toml", {"path": str(path), "reason": str(exc)}))
        return config
    others = who_else_reads(path)
    if others == [EVERYONE]:
        config.problems.append(Problem("pager.config.world_readable", {"path": str(path)}))
    elif others:
        config.problems.append(
            Problem("pager.config.too_open", {"path": str(path), "who": ", ".join(others)})
        )
    for name in data:
        if name not in TABLES:
            config.problems.append(Problem("pager.config.unknown_table", {"name": name}))
    contacts = data.get("contacts")
    if not isinstance(contacts, dict):
        config.problems.append(Problem("pager.config.no_contacts"))
    else:
        _read_contacts(contacts, config)
    limits = data.get("limits", {})
    if not isinstance(limits, dict):
        config.problems.append(Problem("pager.config.limit_bad", {"name": "limits", "low": 1, "high": 1}))
        limits = {}
    for name, value in limits.items():
        if name not in LIMITS:
            config.problems.append(Problem("pager.config.unknown_limit", {"name": name}))
            continue
        low, high, _ = LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            config.problems.append(
                Problem("pager.config.limit_bad", {"name": name, "low": low, "high": high})
            )
        else:
            setattr(config, name, value)
    return config


def _read_contacts(contacts: dict[str, Any], config: PagerConfig) -> None:
    from .validation import _LOGIN

    for login, urls in contacts.items():
        if not _LOGIN.fullmatch(login):
            config.problems.append(Problem("pager.config.login_bad", {"login": login}))
            continue
        if isinstance(urls, str):
            urls = [urls]
        if not isinstance(urls, list) or not urls or not all(isinstance(u, str) for u in urls):
            config.problems.append(Problem("pager.config.urls_bad", {"login": login}))
            continue
        kept = []
        for i, url in enumerate(urls[:MAX_CONTACTS], 1):
            if len(url) > MAX_URL or "://" not in url or any(ord(c) < 32 or ord(c) == 127 for c in url):
                config.problems.append(
                    Problem("pager.config.url_bad", {"login": login, "n": i, "scheme": scheme(url)})
                )
            else:
                kept.append(url)
        if len(urls) > MAX_CONTACTS:
            config.problems.append(Problem("pager.config.too_many", {"login": login, "most": MAX_CONTACTS}))
        config.contacts[login] = kept


def scheme(url: str) -> str:
    """The part of a URL that may be shown (`mailto`, `wecombot`): never its address or token."""
    head = url.split("://", 1)[0] if "://" in url else ""
    return head if head.isascii() and head.replace("+", "").isalnum() and len(head) <= 20 else "?"


def who_else_reads(path: Path) -> list[str]:
    """The logins besides the file's owner and root that may read it ([EVERYONE] when anyone may)."""
    st = path.stat()
    mode = stat.S_IMODE(st.st_mode)
    if mode & stat.S_IROTH:
        return [EVERYONE]
    if not mode & stat.S_IRGRP:
        return []
    try:
        group = grp.getgrgid(st.st_gid)
    except KeyError:
        return [f"group {st.st_gid}"]
    owner = _name(st.st_uid)
    members = set(group.gr_mem) | {p.pw_name for p in pwd.getpwall() if p.pw_gid == st.st_gid}
    return sorted(m for m in members if m not in (owner, "root"))


def _name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)
