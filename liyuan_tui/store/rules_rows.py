"""The published versions' rows (`site_rules`, through the ORM): listed, the newest of a kind, a new
version added; and the fee items (`feeitem`) made to say what a published schedule says. What is
in force, and how a desk follows it, is rules.py's."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from liyuan_tui.domain.fees import Fee, FeeSchedule
from liyuan_tui.domain.models import FeeItem, SiteRules

from .rules import Published, digest


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
