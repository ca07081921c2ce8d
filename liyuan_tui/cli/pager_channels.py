"""Delivering a page through Apprise, the well-kept library that speaks e-mail, SMS gateways, WeCom,
DingTalk, Feishu, ntfy and ninety more: one person's contact URLs, each tried on its own, the
page's idempotency key in a header where the channel has headers (e-mail, json://, form:// …)
and in the text everywhere. The text goes as plain text; Apprise escapes it into each channel's
own format. What Apprise says about a failure goes to the sender's own log with anything that
could be a token blotted out; the desk's record names only the channel's scheme."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from liyuan_tui.domain.pager_config import scheme
from liyuan_tui.reports.page_text import PageText

KEY_HEADER = "X-Liyuan-Page"
_SECRET_PART = re.compile(r"[^/:@?&=#,;\s]{6,}")


@dataclass
class Outcome:
    delivered: list[int] = field(default_factory=list)  # places (1, 2 …) in the contact list reached
    reached: list[str] = field(default_factory=list)  # their schemes
    failed: list[str] = field(default_factory=list)  # the schemes of those that were not
    said: list[str] = field(default_factory=list)  # Apprise's own words on the failures, redacted


@cache
def _asset() -> Any:
    import logging

    import apprise

    # Apprise says what it could not parse by quoting the URL, token and all: its words go only
    # where a delivery captures them (and blots the tokens out), never to a terminal by themselves.
    quiet = logging.getLogger("apprise")
    quiet.propagate = False
    quiet.addHandler(logging.NullHandler())

    # Kept in memory (no cache files under a service's home); no emoji or escape interpretation:
    # the text is sent as the characters it is.
    return apprise.AppriseAsset(
        storage_mode="memory", interpret_emojis=False, interpret_escapes=False, app_id="Liyuan"
    )


def understood(url: str) -> bool:
    """Whether Apprise knows how to send to `url` (checked without sending anything)."""
    import apprise

    return apprise.Apprise.instantiate(url, asset=_asset()) is not None


def redact(text: str, urls: list[str]) -> str:
    """`text` with every longer piece of any of `urls` (a token, a password, an address) blotted out."""
    for url in urls:
        for part in set(_SECRET_PART.findall(url.split("://", 1)[-1])):
            text = text.replace(part, "***")
    return " ".join(text.split())


def deliver(urls: list[str], text: PageText, key: str, already: set[int]) -> Outcome:
    """Send `text` to each URL not yet reached (`already`: places reached by an earlier attempt)."""
    import apprise

    out = Outcome()
    for place, url in enumerate(urls, 1):
        if place in already:
            continue
        target = apprise.Apprise.instantiate(url, asset=_asset())
        if target is None:
            out.failed.append(scheme(url))
            out.said.append(f"{scheme(url)}: not a URL Apprise can send to")
            continue
        headers = getattr(target, "headers", None)
        if isinstance(headers, dict):
            headers[KEY_HEADER] = key
        with apprise.LogCapture(  # type: ignore[no-untyped-call]
            level=apprise.logging.WARNING, fmt="%(message)s"
        ) as log:
            try:
                ok = target.notify(body=text.body, title=text.title, body_format=apprise.NotifyFormat.TEXT)
            except Exception as exc:  # a plugin's own bug must not stop the other channels
                ok = False
                print(f"{type(exc).__name__}: {exc}", file=log)
            said = log.getvalue()
        if ok:
            out.delivered.append(place)
            out.reached.append(scheme(url))
        else:
            out.failed.append(scheme(url))
            out.said.append(f"{scheme(url)}: {redact(said, urls) or 'not delivered'}")
    return out
