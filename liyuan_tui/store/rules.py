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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from liyuan_tui.domain.answers import Answers, answers_from, load_answers
from liyuan_tui.domain.fees import Fee, FeeSchedule, load_fees, parse_fees
from liyuan_tui.domain.models import FeeItem, SiteRules
from liyuan_tui.domain.procedure_files import procedures_from
from liyuan_tui.domain.procedures import Procedures

from .glance import published_files

KINDS = ("procedures", "fees", "answers")


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

    def refresh(self, s: Session) -> None:
        """Follow the newest published versions (one small read; the content only when new)."""
        if self.own:
            return
        newest = dict(
            s.exec(select(SiteRules.kind, func.max(SiteRules.version)).group_by(SiteRules.kind)).all()
        )
        self.follow(s, newest)

    @staticmethod
    def newest_columns() -> list[Any]:
        """The newest published version of each kind (KINDS' order), as columns another statement
        can carry: a write reads them with who acts, in one round trip (kernel.py)."""
        return [
            select(func.max(SiteRules.version)).where(SiteRules.kind == kind).scalar_subquery()
            for kind in KINDS
        ]

    def follow(self, s: Session, newest: Mapping[str, int | None]) -> None:
        """Follow the versions read (`refresh`, or `newest_columns` by kind): the content only when new."""
        for kind in KINDS:
            version = newest.get(kind)
            if version is None or version == self._versions.get(kind):
                continue
            row = s.exec(select(SiteRules).where(SiteRules.kind == kind, SiteRules.version == version)).one()
            if kind == "procedures":
                self._published = parse_procedures(row.content, version)
            elif kind == "answers":
                self._answers = parse_answers(row.content, version)
            else:
                self._fees = parse_fees(row.content, f"site fees v{version}")
            self._versions[kind] = version


def published(s: Session) -> list[Published]:
    rows = s.exec(select(SiteRules).order_by(col(SiteRules.kind), col(SiteRules.version))).all()
    return [Published(r.kind, r.version, r.digest, r.published_by, r.published_at) for r in rows]


def newest(s: Session, kind: str) -> SiteRules | None:
    return s.exec(
        select(SiteRules).where(SiteRules.kind == kind).order_by(col(SiteRules.version).desc())
    ).first()


def add_version(s: Session, kind: str, content: str, by: str, at: datetime) -> SiteRules | None:
    """A new version of `kind` (None when it is the same as the newest: nothing to publish)."""
    last = newest(s, kind)
    if last is not None and last.digest == digest(content):
        return None
    row = SiteRules(
        kind=kind,
        version=(last.version if last is not None else 0) + 1,
        content=content,
        digest=digest(content),
        published_by=by,
        published_at=at,
    )
    s.add(row)
    s.flush()
    return row


def sync_fee_items(s: Session, schedule: FeeSchedule) -> None:
    """The FeeItem rows as the published schedule says (reports name what was charged by them;
    a charge refers to its row): new items added, changed ones updated, dropped ones inactive."""
    rows = {r.code: r for r in s.exec(select(FeeItem))}
    for fee in schedule.items:
        match_fee_item(s, fee, rows.pop(fee.code, None))
    for row in rows.values():
        if row.active:
            row.active = False
            s.add(row)
    s.flush()


def match_fee_item(s: Session, fee: Fee, row: FeeItem | None) -> None:
    """Make the FeeItem row (None: none yet) say what the schedule's line says: inserted, or its
    changed name, unit or price updated; active either way."""
    values: dict[str, Any] = {
        "name_zh": fee.name.zh,
        "name_en": fee.name.en,
        "unit_zh": fee.unit.zh,
        "unit_en": fee.unit.en,
        "price_cents": fee.price_fen,
        "active": True,
    }
    if row is None:
        s.add(FeeItem(code=fee.code, **values))
    elif any(getattr(row, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(row, k, v)
        s.add(row)
