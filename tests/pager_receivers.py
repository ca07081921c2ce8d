"""Real receivers on loopback for the pager's tests: an SMTP server (aiosmtpd) for `mailto://` and a
small HTTP server for `json://`, each keeping what arrived (with the idempotency key it carried),
and the pager's config file written as a site would (mode 0600). Every wait has a timeout.

Its fixtures (`pager_config`, `smtp`, `web`) reach every test: tests/conftest.py names this module in
`pytest_plugins`."""

from __future__ import annotations

import email
import email.header
import json
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

WAIT = 10.0  # seconds any test waits for a page to arrive


@dataclass
class Received:
    channel: str  # smtp | json
    to: str  # json: the hook's name (its path); smtp: the recipient's address
    key: str  # the page's idempotency key (X-Liyuan-Page)
    title: str
    body: str
    at: float  # time.monotonic() on arrival
    raw: str = ""  # the whole message as it came (headers and all)


class Receiver:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self._lock = threading.Lock()

    def add(self, item: Received) -> None:
        with self._lock:
            self.received.append(item)

    def all(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def wait_for(self, match: Callable[[Received], bool], timeout: float = WAIT) -> Received:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for item in self.all():
                if match(item):
                    return item
            time.sleep(0.01)
        raise AssertionError(
            f"nothing matching arrived in {timeout} s; got {[(r.to, r.key) for r in self.all()]}"
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebReceiver(Receiver):
    """json:// receiver. `delay` holds each answer that long (a slow receiver, for the kill test);
    `down()` / `up()` close and reopen its port."""

    def __init__(self, port: int | None = None, delay: float = 0.0) -> None:
        super().__init__()
        self.port = port or free_port()
        self.delay = delay
        self.server: ThreadingHTTPServer | None = None

    def url(self, name: str) -> str:
        return f"json://127.0.0.1:{self.port}/{name}"

    def up(self) -> WebReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                data = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.add(
                    Received(
                        "json",
                        self.path.strip("/"),
                        self.headers.get("X-Liyuan-Page", ""),
                        data.get("title", ""),
                        data.get("message", ""),
                        time.monotonic(),
                        json.dumps(data, ensure_ascii=False),
                    )
                )
                time.sleep(receiver.delay)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def down(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


class MailReceiver(Receiver):
    """mailto:// receiver: a real SMTP server (aiosmtpd) on loopback."""

    def __init__(self) -> None:
        super().__init__()
        from aiosmtpd.controller import Controller

        receiver = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                msg = email.message_from_bytes(envelope.content)
                subject = str(email.header.make_header(email.header.decode_header(msg["Subject"] or "")))
                body = _body(msg)
                for to in envelope.rcpt_tos:
                    receiver.add(
                        Received(
                            "smtp",
                            to,
                            msg["X-Liyuan-Page"] or "",
                            subject,
                            body,
                            time.monotonic(),
                            envelope.content.decode("utf-8", "replace"),
                        )
                    )
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def url(self, login: str, fmt: str = "text") -> str:
        return (
            f"mailto://127.0.0.1:{self.port}?from=pager@liyuan.test&to={login}@liyuan.test"
            f"&mode=insecure&format={fmt}"
        )

    def stop(self) -> None:
        self.controller.stop()


def _body(msg) -> str:
    """The mail's text: its HTML part when it has one (what a mail client shows), else its text."""
    parts = {p.get_content_type(): p for p in msg.walk() if not p.is_multipart()}
    part = parts.get("text/html") or parts.get("text/plain") or msg
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


@pytest.fixture
def web():
    receiver = WebReceiver().up()
    yield receiver
    receiver.down()


@pytest.fixture
def smtp():
    receiver = MailReceiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def pager_config():
    """pager_config({"mgr": [url, …]}, extra="[limits]\\nack_minutes = 5") → the config file, 0600."""
    path = Path(os.environ["LIYUAN_PAGER_CONFIG"])

    def write(contacts: dict[str, list[str]], extra: str = "") -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["[contacts]"] + [
            f"{json.dumps(login)} = {json.dumps(urls)}" for login, urls in contacts.items()
        ]
        path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
        path.chmod(0o600)
        return path

    return write
