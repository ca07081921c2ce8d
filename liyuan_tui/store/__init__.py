"""The store: the one place that reads and writes the desk's database.

`Store` opens one database for one acting login and hands out the areas, each a small class that
receives the transaction kernel (kernel.py):

    store.intake     logging a request, saving the form's fields      (intake.py)
    store.lifecycle  replied, escalated, steps, closed … taken         (lifecycle.py)
    store.lookup     the open requests, one request in full, search   (lookup.py)
    store.staff      who may use the desk, and who is acting           (staff.py)
    store.charges    paid services                                     (charges.py)
    store.archive    the resident archive                              (archive.py)
    store.imports    history and archive imports                       (imports.py)
    store.ladder     the warning ladder: reply and on-site deadlines     (ladder.py)
    store.analyses   the supervisor's written analysis of a month      (analysis.py)
    store.estates    the estates a company runs from one database      (estates.py)
    store.rules      the site's published procedures and fee schedule   (rules.py, publishing.py)
    store.orders     repair work orders (派工单)                         (orders.py)
    store.stock      the materials ledger (进消存)                       (stock.py)
    store.tools      the tool register (维修工具)                        (tools.py)
    store.followups  follow-up calls after the close (回访)              (followups.py)
    store.households the household file (一户一档)                       (households.py)
    store.staff_records  staff training, assessments, commendations   (staff_records.py)
    store.replies    what the caller was told, the canned answers (话术)  (replies.py)
    store.receipts   receipts for paid services (收费单)                 (receipts.py)
    store.incidents  linked calls of one incident                      (incidents.py)
    store.shift      the duty log and the signed handover (值班日志)     (shift.py)
    store.reception  the reception log (客户接待)                        (reception.py)
    store.roster     the duty roster (值班表)                             (roster.py)
    store.pager      pages to people off the desk, and their sender     (pager.py, outbox.py)
    store.integrity  what `liyuan check` asks of the database          (integrity.py)
    store.figures    what the reports are made of, read-only            (figures/)
    store.site       backup, copy to a server, migrate                 (site_admin.py)

so `ctx.store.lifecycle.mark_replied(ref)` is `Lifecycle.mark_replied` in lifecycle.py, and every
write in it is one `Kernel.write()` transaction with its event. The kernel and the engine stay
inside the store: the command line and the app ask the `Store` (and its areas) only, and every
database error reaches them as a `DeskError` (faults.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liyuan_tui.domain.clock import Clock
from liyuan_tui.domain.procedures import Procedure, Procedures

from .areas import Areas

# (the kernel, and the ORM under it, are imported when a Store is made: glance.py reads without them)
if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from liyuan_tui.domain.models import Staff

    from .dbfiles import DatabaseBusy, JournalLost, NoDatabase
    from .faults import DatabaseFault
    from .followups import DueFollowUp, FollowUpDone
    from .glance import Glance
    from .households import HistoryItem, HouseholdFile, HouseholdGlance
    from .incidents import ClosedCall
    from .intake import EDITABLE_FIELDS
    from .integrity import Health
    from .kernel import Kernel
    from .lifecycle import OUTCOME_KINDS
    from .orders import OrderView
    from .pager import PagerHealth
    from .receipts import ReceiptView
    from .request_detail import RequestDetail
    from .roster import OnDuty
    from .staff_records import StaffRecord
    from .tools import ToolView
    from .watch import ChangeWatch
    from .written import Written


def __getattr__(name: str) -> Any:
    """`from liyuan_tui.store import X`: X's module imported when first asked for, like the areas,
    so a command pays only for what it uses."""
    if name == "EDITABLE_FIELDS":
        from . import intake

        return getattr(intake, name)
    if name == "OUTCOME_KINDS":
        from . import lifecycle

        return getattr(lifecycle, name)
    if name == "ChangeWatch":
        from . import watch

        return getattr(watch, name)
    if name == "ClosedCall":
        from . import incidents

        return getattr(incidents, name)
    if name in ("DatabaseBusy", "JournalLost", "NoDatabase"):
        from . import dbfiles

        return getattr(dbfiles, name)
    if name == "DatabaseFault":
        from . import faults

        return getattr(faults, name)
    if name in ("DueFollowUp", "FollowUpDone"):
        from . import followups

        return getattr(followups, name)
    if name == "Glance":
        from . import glance

        return getattr(glance, name)
    if name == "Health":
        from . import integrity

        return getattr(integrity, name)
    if name in ("HistoryItem", "HouseholdFile", "HouseholdGlance"):
        from . import households

        return getattr(households, name)
    if name == "OnDuty":
        from . import roster

        return getattr(roster, name)
    if name == "OrderView":
        from . import orders

        return getattr(orders, name)
    if name == "PagerHealth":
        from . import pager

        return getattr(pager, name)
    if name == "ReceiptView":
        from . import receipts

        return getattr(receipts, name)
    if name == "RequestDetail":
        from . import request_detail

        return getattr(request_detail, name)
    if name == "StaffRecord":
        from . import staff_records

        return getattr(staff_records, name)
    if name == "ToolView":
        from . import tools

        return getattr(tools, name)
    if name == "Written":
        from . import written

        return getattr(written, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Store(Areas):
    """The desk's database for one acting login: the kernel and the areas built on it, each made
    when first used (see the module's docstring for what each one is)."""

    def __init__(
        self,
        url: str,
        clock: Clock,
        login: str,
        *,
        procedures: Procedures | Callable[[], Procedures] | None = None,
        tz: tzinfo | str = "Asia/Shanghai",
        os_login: str | None = None,
        os_root: bool = False,
        create: bool = False,
        engine: Engine | None = None,
        fees_file: Path | None = None,
        busy_timeout_ms: int | None = None,
        own_rules: bool = False,
        answers_dir: Path | None = None,
        service: bool = False,
    ) -> None:
        """`create`: the database may be made here if it is not there yet (see kernel.py).
        `procedures`, `fees_file` and `answers_dir` are followed until the site publishes its own
        (rules.py);
        `own_rules`: they win over anything published (a personal database only);
        `service`: the pager's sender, which is not on the staff list."""
        from .kernel import Kernel

        self.kernel: Kernel = Kernel(
            url,
            clock,
            login,
            procedures=procedures if procedures is not None else _shipped_procedures,  # (read if needed)
            tz=tz,
            os_login=os_login,
            os_root=os_root,
            create=create,
            engine=engine,
            busy_timeout_ms=busy_timeout_ms,
            fees_file=fees_file,
            own_rules=own_rules,
            answers_dir=answers_dir,
            service=service,
        )

    # What every caller needs to know of the store it holds.
    @property
    def clock(self) -> Clock:
        return self.kernel.clock

    @property
    def login(self) -> str:
        return self.kernel.login

    @property
    def tz(self) -> tzinfo:
        return self.kernel.tz

    @property
    def engine(self) -> Engine:
        return self.kernel.engine

    @property
    def url(self) -> str:
        return self.kernel.url

    @property
    def sqlite(self) -> bool:
        """A SQLite file (else a PostgreSQL server): changes are looked for, not notified."""
        return bool(self.kernel.sqlite)

    @property
    def service(self) -> bool:
        """Opened for a service's own login (the pager's sender), not a person on the staff list."""
        return bool(self.kernel.service)

    @property
    def procedures(self) -> Procedures:
        return self.kernel.procedures

    def procedure(self, category: str) -> Procedure | None:
        return self.kernel.procedures.get(category)

    def init_schema(self) -> None:
        with self.kernel.said():
            self.kernel.init_schema()

    # Opening and who acts: what the command line and the app ask of the kernel, asked here.
    def ready(self) -> None:
        """Open the database for the acting login now (see Kernel.ready)."""
        self.kernel.ready()

    def identity(self) -> Staff:
        """The acting user's staff record, as found when the database was opened."""
        return self.kernel.identity()

    def role_in_any_release(self) -> str:
        """The acting user's role, read so that it works on an older release's database too."""
        return self.kernel.role_in_any_release()

    def on_first_user(self, tell: Callable[[str], None]) -> None:
        """`tell(login)` when this store makes its login the first supervisor of a new database."""
        self.kernel.on_first_user = tell

    @property
    def broken(self) -> JournalLost | None:
        """Set once the journal was found removed or replaced: this desk writes nothing more."""
        return self.kernel.broken

    def change_watch(self) -> ChangeWatch:
        """Waiting for other terminals' changes (LISTEN on PostgreSQL, a timed wait on SQLite)."""
        from .watch import ChangeWatch

        return ChangeWatch(self.kernel)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session for the reports, which aggregate in SQL; never used to write."""
        with self.kernel.read() as s:
            yield s

    @contextmanager
    def recording(self) -> Iterator[Written]:
        """What the store calls made in this thread inside the block write: their events and rows,
        as committed (written.py). The desk's change watcher does not read them back."""
        with self.kernel.written.recording() as written:
            yield written

    def close(self) -> None:
        self.kernel.close()


def _shipped_procedures() -> Procedures:
    from liyuan_tui.domain.procedure_files import load_procedures

    return load_procedures()


__all__ = [
    "EDITABLE_FIELDS",
    "OUTCOME_KINDS",
    "ChangeWatch",
    "ClosedCall",
    "DatabaseBusy",
    "DatabaseFault",
    "DueFollowUp",
    "FollowUpDone",
    "Glance",
    "Health",
    "HistoryItem",
    "HouseholdFile",
    "HouseholdGlance",
    "JournalLost",
    "NoDatabase",
    "OnDuty",
    "OrderView",
    "PagerHealth",
    "ReceiptView",
    "RequestDetail",
    "StaffRecord",
    "Store",
    "ToolView",
    "Written",
]
