"""The store's areas, each made when first used: its module imported, with the tables it reads
and writes, only when a caller first asks for it (`store.orders` imports the work orders' tables;
`liyuan queue --json` never does). What each area is: store/__init__.py's docstring.

The tables have no relationships between their classes, so a table module imported after the
first query changes no mapper already configured. Imports inside the properties are plain
`from … import` statements, seen by the import contracts like any other.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .analysis import Analyses
    from .archive import Archive
    from .charges import Charges
    from .estates import Estates
    from .figures import Figures
    from .followups import FollowUps
    from .households import Households
    from .imports import Imports
    from .incidents import Incidents
    from .intake import Intake
    from .integrity import Integrity
    from .kernel import Kernel
    from .ladder import Ladder
    from .lifecycle import Lifecycle
    from .lookup import Lookup
    from .orders import Orders
    from .pager import Pager
    from .publishing import SiteRulesArea
    from .receipts import Receipts
    from .reception import ReceptionLog
    from .replies import Replies
    from .roster import Roster
    from .shift import Shift
    from .site_admin import SiteAdmin
    from .staff import StaffList
    from .staff_records import StaffRecords
    from .stock import Stock
    from .tools import Tools


class Areas:
    """The areas on one kernel (Store's base)."""

    kernel: Kernel

    @cached_property
    def intake(self) -> Intake:
        from .intake import Intake

        return Intake(self.kernel)

    @cached_property
    def lifecycle(self) -> Lifecycle:
        from .lifecycle import Lifecycle

        return Lifecycle(self.kernel)

    @cached_property
    def lookup(self) -> Lookup:
        from .lookup import Lookup

        return Lookup(self.kernel)

    @cached_property
    def staff(self) -> StaffList:
        from .staff import StaffList

        return StaffList(self.kernel)

    @cached_property
    def charges(self) -> Charges:
        from .charges import Charges

        return Charges(self.kernel)

    @cached_property
    def archive(self) -> Archive:
        from .archive import Archive

        return Archive(self.kernel)

    @cached_property
    def imports(self) -> Imports:
        from .imports import Imports

        return Imports(self.kernel)

    @cached_property
    def ladder(self) -> Ladder:
        from .ladder import Ladder

        return Ladder(self.kernel)

    @cached_property
    def analyses(self) -> Analyses:
        from .analysis import Analyses

        return Analyses(self.kernel)

    @cached_property
    def estates(self) -> Estates:
        from .estates import Estates

        return Estates(self.kernel)

    @cached_property
    def orders(self) -> Orders:
        from .orders import Orders

        return Orders(self.kernel)

    @cached_property
    def stock(self) -> Stock:
        from .stock import Stock

        return Stock(self.kernel)

    @cached_property
    def tools(self) -> Tools:
        from .tools import Tools

        return Tools(self.kernel)

    @cached_property
    def followups(self) -> FollowUps:
        from .followups import FollowUps

        return FollowUps(self.kernel)

    @cached_property
    def households(self) -> Households:
        from .households import Households

        return Households(self.kernel)

    @cached_property
    def staff_records(self) -> StaffRecords:
        from .staff_records import StaffRecords

        return StaffRecords(self.kernel)

    @cached_property
    def replies(self) -> Replies:
        from .replies import Replies

        return Replies(self.kernel)

    @cached_property
    def receipts(self) -> Receipts:
        from .receipts import Receipts

        return Receipts(self.kernel)

    @cached_property
    def incidents(self) -> Incidents:
        from .incidents import Incidents

        return Incidents(self.kernel)

    @cached_property
    def shift(self) -> Shift:
        from .shift import Shift

        return Shift(self.kernel)

    @cached_property
    def reception(self) -> ReceptionLog:
        from .reception import ReceptionLog

        return ReceptionLog(self.kernel)

    @cached_property
    def roster(self) -> Roster:
        from .roster import Roster

        return Roster(self.kernel)

    @cached_property
    def pager(self) -> Pager:
        from .pager import Pager

        return Pager(self.kernel)

    @cached_property
    def integrity(self) -> Integrity:
        from .integrity import Integrity

        return Integrity(self.kernel)

    @cached_property
    def figures(self) -> Figures:
        from .figures import Figures

        return Figures(self.kernel)

    @cached_property
    def site(self) -> SiteAdmin:
        from .site_admin import SiteAdmin

        return SiteAdmin(self.kernel)

    @cached_property
    def rules(self) -> SiteRulesArea:
        from .publishing import SiteRulesArea

        return SiteRulesArea(self.kernel)
