"""Publishing the site's rules (`liyuan rules publish`, and `init` / `site init` / `migrate` for a
database's first version): supervisors, the manager and root acting as one. The files are checked
first (a malformed procedure, fee or answers file is refused naming the file, the entry and the
problem; an answer naming a category the procedures published with it do not have too), then
each kind whose content changed gets a new version in one transaction, with one
`rules_published` event; the fee schedule's items are made to match (FeeItem)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from liyuan_tui.domain.answers import answer_texts, answers_from
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.fees import fees_text, parse_fees
from liyuan_tui.domain.permissions import Action
from liyuan_tui.domain.procedure_files import procedure_texts, procedures_from

from .kernel import Kernel, Tx
from .rules import KINDS, Published, procedures_content
from .rules_rows import add_version, newest, published, sync_fee_items


@dataclass(frozen=True)
class RulesFiles:
    """The files to publish, read and checked before the database is touched."""

    procedures: str  # the published content (rules.procedures_content)
    fees: str  # the fee schedule's TOML text
    answers: str  # the canned answers' files, as the procedures'
    sources: dict[str, str]  # kind → where it came from (a folder, a file, "shipped")

    @classmethod
    def read(
        cls, procedures_dir: Path | None, fees_file: Path | None, answers_dir: Path | None = None
    ) -> RulesFiles:
        files = procedure_texts(procedures_dir)
        procedures = procedures_from(files)  # refused here if any file is malformed
        body, source = fees_text(fees_file)
        parse_fees(body, source)
        said = answer_texts(answers_dir)
        answers_from(said, procedures)  # refused here too: malformed, or a category not published
        return cls(
            procedures_content(files),
            body,
            procedures_content(said),
            {
                "procedures": str(procedures_dir or "shipped"),
                "fees": str(fees_file or "shipped"),
                "answers": str(answers_dir or "shipped"),
            },
        )

    def content(self, kind: str) -> str:
        return {"procedures": self.procedures, "fees": self.fees, "answers": self.answers}[kind]


def publish_in(tx: Tx, files: RulesFiles, *, first: bool = False) -> list[Published]:
    """New versions of what changed, in `tx`, with one event (none when nothing changed). With
    `first`, only kinds nothing was published of yet (a new or newly migrated database)."""
    out = []
    for kind in KINDS:
        content = files.content(kind)
        if first and newest(tx.s, kind) is not None:
            continue
        row = add_version(tx.s, kind, content, tx.k.login, tx.now)
        if row is None:
            continue
        if kind == "fees":
            sync_fee_items(tx.s, parse_fees(content, f"site fees v{row.version}"))
        out.append(Published(row.kind, row.version, row.digest, row.published_by, row.published_at))
    if out:
        tx.changed = True
        tx.record(
            None,
            EventKind.RULES_PUBLISHED,
            {
                **{p.kind: p.version for p in out},
                **{f"{p.kind}_from": files.sources[p.kind] for p in out},
                **{f"{p.kind}_digest": p.digest[:12] for p in out},
            },
        )
    return out


class SiteRulesArea:
    """publish, versions, in_force."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def publish(
        self, procedures_dir: Path | None, fees_file: Path | None, answers_dir: Path | None = None
    ) -> list[Published]:
        """Publish the procedures of `procedures_dir` (over the shipped ones), the fee schedule
        of `fees_file` (else the shipped example) and the canned answers of `answers_dir` (over
        the shipped ones); returns the versions made (none: unchanged)."""
        return self.publish_files(RulesFiles.read(procedures_dir, fees_file, answers_dir))

    def publish_files(self, files: RulesFiles, *, first: bool = False) -> list[Published]:
        """`files` published; with `first`, only the kinds nothing was published of yet (the
        database's first version: init, site init, migrate)."""
        with self.k.write(Action.PUBLISH_RULES) as tx:
            return publish_in(tx, files, first=first)

    @property
    def own_files(self) -> bool:
        """The user's own files are in force (a personal database they were given for)."""
        return self.k.rules.own

    def versions(self) -> list[Published]:
        with self.k.read() as s:
            return published(s)

    def in_force(self) -> dict[str, Published | None]:
        """kind → the version in force (None: the release's shipped files, or a personal
        database's own)."""
        with self.k.read() as s:
            return (
                {kind: _newest(s, kind) for kind in KINDS} if not self.k.rules.own else dict.fromkeys(KINDS)
            )


def _newest(s: Session, kind: str) -> Published | None:
    row = newest(s, kind)
    if row is None:
        return None
    return Published(row.kind, row.version, row.digest, row.published_by, row.published_at)
