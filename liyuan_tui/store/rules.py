"""The rules in force are the site's: the procedures, the fee schedule and the canned answers (话术)
a supervisor published into the database (`site_rules`), newest version of each kind, for every
desk and command.

A user's own files (`--procedures`, `--fees`, `--answers` and their LIYUAN_ variables) are in force
only on a personal database (the default one of a user trying the desk); anywhere else they are
what a supervisor or root publishes (`liyuan rules publish`). A database on which nothing was
published yet follows the release's shipped files. Each request records the version it was
logged under (`request.procedures_version`), and the close event the version it was checked
against.

Other areas read the rules through the kernel only: `kernel.procedures` (the Procedures in
force), `kernel.rules.fees()` (the FeeSchedule in force), `kernel.rules.answers()` (the canned
answers in force) and `kernel.rules.version("procedures")`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from liyuan_tui.domain.answers import Answers, answers_from, load_answers
from liyuan_tui.domain.fees import FeeSchedule, load_fees, parse_fees
from liyuan_tui.domain.procedure_files import procedures_from
from liyuan_tui.domain.procedures import Procedures

from .glance import published_files

KINDS = ("procedures", "fees", "answers")
# The newest published version of each kind (KINDS' order), as columns another statement can
# carry: a write reads them with who acts, in one round trip (kernel.py).
NEWEST_COLUMNS = ", ".join(
    f"(SELECT max(version) FROM site_rules WHERE kind = '{kind}') AS newest_{kind}" for kind in KINDS
)


@dataclass(frozen=True)
class Published:
    """One published version (without its content)."""

    kind: str
    version: int
    digest: str
    published_by: str
    published_at: datetime


def digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def procedures_content(files: dict[str, tuple[str, str]]) -> str:
    """The procedure (or answer) files as published: file name → TOML text, every one."""
    return json.dumps({name: body for name, (_source, body) in sorted(files.items())}, ensure_ascii=False)


def parse_procedures(content: str, version: int) -> Procedures:
    return procedures_from(published_files(content, "rules", version))


def parse_answers(content: str, version: int) -> Answers:
    """A published version of the canned answers (its categories were checked when published)."""
    return answers_from(published_files(content, "answers", version))


class RulesInForce:
    """What the kernel follows: the newest published version of each kind, else the fallback the
    store was opened with (the shipped files, or a personal database's own)."""

    def __init__(
        self,
        procedures: Procedures | Callable[[], Procedures],
        fees_file: Path | None = None,
        own: bool = False,
        answers_dir: Path | None = None,
    ) -> None:
        """`procedures`: the fallback, or how to load it (the shipped files: read only if the site
        has published none, so a command on a site parses one set of procedures, not two)."""
        self._fallback = procedures
        self.fees_file = fees_file
        self.answers_dir = answers_dir
        self.own = own  # the caller's own files win over anything published (a personal database)
        self._published: Procedures | None = None
        self._fees: FeeSchedule | None = None
        self._answers: Answers | None = None
        self._versions: dict[str, int] = {}

    @property
    def fallback(self) -> Procedures:
        if not isinstance(self._fallback, Procedures):
            self._fallback = self._fallback()
        return self._fallback

    @property
    def procedures(self) -> Procedures:
        """The procedures in force: the newest published version, else the fallback."""
        return self._published if self._published is not None else self.fallback

    def version(self, kind: str) -> int | None:
        """The published version in force (None: the fallback is)."""
        return self._versions.get(kind)

    def fees(self) -> FeeSchedule:
        """The fee schedule in force, read on first use (a broken file never stops the desk)."""
        if self._fees is None:
            self._fees = load_fees(self.fees_file)
        return self._fees

    def set_fees(self, schedule: FeeSchedule | None) -> None:
        """Follow `schedule` (None: read the fallback file again) — never over a published one."""
        if self._versions.get("fees") is None or self.own:
            self._fees = schedule

    def answers(self) -> Answers:
        """The canned answers in force, read on first use (a broken file never stops the desk)."""
        if self._answers is None:
            self._answers = load_answers(self.answers_dir, self.procedures)
        return self._answers

    def set_answers(self, answers: Answers | None) -> None:
        """Follow `answers` (None: read the fallback folder again) — never over published ones."""
        if self._versions.get("answers") is None or self.own:
            self._answers = answers

    def refresh(self, conn: Connection) -> None:
        """Follow the newest published versions (one small read; the content only when new)."""
        if self.own:
            return
        self.follow(conn, dict(conn.execute(text(f"SELECT {NEWEST_COLUMNS}")).one()._mapping))

    def follow(self, conn: Connection, row: dict[str, Any]) -> None:
        """Follow the versions a statement carrying NEWEST_COLUMNS read (`refresh`, or who acts with
        them: kernel.py), taken out of `row`: the content only when new."""
        newest = {kind: row.pop(f"newest_{kind}") for kind in KINDS}
        for kind in KINDS:
            version = newest.get(kind)
            if version is None or version == self._versions.get(kind):
                continue
            content = conn.execute(
                text("SELECT content FROM site_rules WHERE kind = :kind AND version = :version"),
                {"kind": kind, "version": version},
            ).scalar_one()
            if kind == "procedures":
                self._published = parse_procedures(content, version)
            elif kind == "answers":
                self._answers = parse_answers(content, version)
            else:
                self._fees = parse_fees(content, f"site fees v{version}")
            self._versions[kind] = version
