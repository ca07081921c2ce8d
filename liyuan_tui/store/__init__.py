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
    store.staff_records  staff training and assessments (培训、考核)     (staff_records.py)

so `ctx.store.lifecycle.mark_replied(ref)` is `Lifecycle.mark_replied` in lifecycle.py, and every
write in it is one `Kernel.write()` transaction with its event.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import tzinfo
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine
from sqlmodel import Session

from liyuan_tui.domain.clock import Clock
from liyuan_tui.domain.procedure_files import load_procedures
from liyuan_tui.domain.procedures import Procedure, Procedures

from .analysis import Analyses
from .archive import Archive
from .charges import Charges
from .estates import Estates
from .followups import DueFollowUp, FollowUpDone, FollowUps
from .households import HistoryItem, HouseholdFile, HouseholdGlance, Households
from .imports import Imports
from .intake import EDITABLE_FIELDS, Intake
from .kernel import Kernel
from .ladder import Ladder
from .lifecycle import OUTCOME_KINDS, Lifecycle
from .lookup import Lookup, RequestDetail
from .orders import OrderView, Orders
from .publishing import SiteRulesArea
from .staff import StaffList
from .stock import Stock
from .tools import Tools, ToolView
from .staff_records import StaffRecord, StaffRecords


class Store:
    """The desk's database for one acting login: the kernel and the areas built on it."""

    def __init__(
        self,
        url: str,
        clock: Clock,
        login: str,
        *,
        procedures: Procedures | None = None,
        tz: tzinfo | str = "Asia/Shanghai",
        os_login: str | None = None,
        os_root: bool = False,
        create: bool = False,
        engine: Engine | None = None,
        fees_file: Path | None = None,
        busy_timeout_ms: int | None = None,
        own_rules: bool = False,
    ) -> None:
        """`create`: the database may be made here if it is not there yet (see kernel.py).
        `procedures` and `fees_file` are followed until the site publishes its own (rules.py);
        `own_rules`: they win over anything published (a personal database only)."""
        self.kernel = Kernel(
            url,
            clock,
            login,
            procedures=procedures if procedures is not None else load_procedures(),
            tz=tz,
            os_login=os_login,
            os_root=os_root,
            create=create,
            engine=engine,
            busy_timeout_ms=busy_timeout_ms,
            fees_file=fees_file,
            own_rules=own_rules,
        )
        self.intake = Intake(self.kernel)
        self.lifecycle = Lifecycle(self.kernel)
        self.lookup = Lookup(self.kernel)
        self.staff = StaffList(self.kernel)
        self.charges = Charges(self.kernel)
        self.archive = Archive(self.kernel)
        self.imports = Imports(self.kernel)
        self.ladder = Ladder(self.kernel)
        self.analyses = Analyses(self.kernel)
        self.estates = Estates(self.kernel)
        self.orders = Orders(self.kernel)
        self.stock = Stock(self.kernel)
        self.tools = Tools(self.kernel)
        self.followups = FollowUps(self.kernel)
        self.households = Households(self.kernel)
        self.staff_records = StaffRecords(self.kernel)
        self.rules = SiteRulesArea(self.kernel)

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
    def procedures(self) -> Procedures:
        return self.kernel.procedures

    def procedure(self, category: str) -> Procedure | None:
        return self.kernel.procedures.get(category)

    def init_schema(self) -> None:
        self.kernel.init_schema()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session for the reports, which aggregate in SQL; never used to write."""
        with self.kernel.read() as s:
            yield s

    def close(self) -> None:
        self.kernel.close()


__all__ = [
    "Store",
    "RequestDetail",
    "OrderView",
    "ToolView",
    "OUTCOME_KINDS",
    "EDITABLE_FIELDS",
    "DueFollowUp",
    "FollowUpDone",
    "HouseholdFile",
    "HouseholdGlance",
    "HistoryItem",
    "StaffRecord",
]
