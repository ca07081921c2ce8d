"""The register of repair tools (维修工具的领用保管与登记): each tool, who holds it, for which work
order and until when, and the condition it came back in.

A tool is issued to one login at a time: the tool's row names its holder and carries a version,
so of two supervisors issuing the same tool at once one wins and the other is told who has it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import NotFound, StaleError, ValidationError
from liyuan_tui.domain.events import EventKind
from liyuan_tui.domain.models import Request, Staff
from liyuan_tui.domain.permissions import Action
from liyuan_tui.domain.workshop import TOOL_CONDITIONS, Tool, ToolLoan, WorkOrder

from .kernel import Kernel, Tx
from .tables import ident

MAX_TOOL_NAME = 60
DUE_RANGE = timedelta(days=366)


@dataclass
class ToolView:
    """A tool with its open loan (None when it is in the store room) and the loan's order number."""

    tool: Tool
    loan: ToolLoan | None
    order: str | None

    def overdue(self, now: datetime) -> bool:
        return self.loan is not None and self.loan.due_at is not None and self.loan.due_at < now


class Tools:
    """add_tool, issue, give_back; list_tools reads."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    def add_tool(self, code: str, name: str) -> Tool:
        code = check.code(code)
        name = check.plain(name, "tool_name", max_len=MAX_TOOL_NAME, required=True)
        with self.k.write(Action.TOOL_MANAGE) as tx:
            if tx.s.exec(select(Tool.id).where(Tool.code == code)).first() is not None:
                raise ValidationError("error.code_exists", "code", value=code)
            tool = Tool(code=code, name=name, created_at=tx.now)
            tx.add(tool)
            tx.s.flush()
            tx.record(None, EventKind.TOOL_ADDED, {"code": code, "name": name})
            return tool

    def before_issue(self, code: str, *, order: str | None = None, due: datetime | None = None) -> str | None:
        """What the desk's issue dialog asks first, checked before it asks whom: the tool is in,
        the order (if one) is known, the time it is due back is in range — each refused naming its
        field, nothing written. Returns the order's technician, the person offered first."""
        code = check.code(code)
        number = check.order_number(order, "order") if order else None
        self._due(due)
        with self.k.read() as s:
            tool = s.exec(select(Tool).where(Tool.code == code)).first()
            if tool is None:
                raise NotFound("error.tool_unknown", "code", value=code)
            self._lendable(tool)
            if number is None:
                return None
            work = s.exec(select(WorkOrder).where(WorkOrder.number == number)).first()
        if work is None:
            raise NotFound("error.order_unknown", "order", value=number)
        return work.technician

    def issue(self, code: str, to: str, *, order: str | None = None, due: datetime | None = None) -> ToolLoan:
        """Issue a tool to a login; refused, saying who has it, if it is already out."""
        code, to = check.code(code), check.login(to)
        number = check.order_number(order, "order") if order else None
        self._due(due)
        with self.k.write(Action.TOOL_LEND) as tx:
            tool = self._tool(tx, code)
            self._lendable(tool)
            person = tx.s.exec(select(Staff).where(Staff.login == to)).first()
            if person is None or not person.active:
                raise ValidationError("error.login_unknown", "holder", value=to)
            work, req = None, None
            if number is not None:
                work = tx.s.exec(select(WorkOrder).where(WorkOrder.number == number)).first()
                if work is None:
                    raise NotFound("error.order_unknown", "order", value=number)
                req = tx.s.get(Request, work.request_id)
            loan = ToolLoan(
                tool_id=ident(tool),
                holder=to,
                order_id=work.id if work else None,
                issued_at=tx.now,
                issued_by=tx.me.login,
                due_at=due,
            )
            tx.add(loan)
            tx.s.flush()
            if not tx.compare_and_set(tool, {"holder": to, "loan_id": loan.id}):
                raise self._taken(tx, tool)
            payload = {"code": code, "to": to, "due_at": due}
            if number:
                payload["order"] = number
            tx.record(req, EventKind.TOOL_ISSUED, payload)
            return loan

    def give_back(self, code: str, condition: str = "ok", note: str = "") -> ToolLoan:
        """A tool returned, in the condition it came back in (ok, damaged, lost) with a note."""
        code = check.code(code)
        condition = check.choice(condition or "ok", "condition", TOOL_CONDITIONS)
        note = check.plain(note, "note", newlines=True, max_len=check.MAX_TEXT)
        with self.k.write(Action.TOOL_LEND) as tx:
            tool = self._tool(tx, code)
            loan = tx.s.get(ToolLoan, tool.loan_id) if tool.loan_id is not None else None
            if tool.holder is None or loan is None:
                raise ValidationError("error.tool_not_out", "code", code=code)
            loan.returned_at, loan.returned_by, loan.condition_back, loan.note = (
                tx.now,
                tx.me.login,
                condition,
                note,
            )
            tx.add(loan)
            if not tx.compare_and_set(tool, {"holder": None, "loan_id": None, "condition": condition}):
                raise self._taken(tx, tool)
            payload = {"code": code, "from": loan.holder, "condition": condition}
            if note:
                payload["note"] = note
            tx.record(None, EventKind.TOOL_RETURNED, payload)
            return loan

    def list_tools(self, *, out: bool = False, overdue: bool = False) -> list[ToolView]:
        now = self.k.clock.now()
        with self.k.read() as s:
            stmt = (
                select(Tool, ToolLoan, WorkOrder.number)
                .join(ToolLoan, col(Tool.loan_id) == ToolLoan.id, isouter=True)
                .join(WorkOrder, col(ToolLoan.order_id) == WorkOrder.id, isouter=True)
            )
            if out or overdue:
                stmt = stmt.where(col(Tool.holder).is_not(None))
            views = [ToolView(t, loan, number) for t, loan, number in s.exec(stmt.order_by(Tool.code))]
        return [v for v in views if v.overdue(now)] if overdue else views

    def _due(self, due: datetime | None) -> None:
        if due is not None and (due.tzinfo is None or abs(due - self.k.clock.now()) > DUE_RANGE):
            raise ValidationError("error.appointment_range", "due_at")

    @staticmethod
    def _lendable(tool: Tool) -> None:
        if tool.holder is not None:
            raise StaleError("error.tool_out", code=tool.code, by=tool.holder)
        if tool.condition == "lost":
            raise ValidationError("error.tool_lost", "code", code=tool.code)

    @staticmethod
    def _tool(tx: Tx, code: str) -> Tool:
        tool = tx.locked(select(Tool).where(Tool.code == code))
        if tool is None:
            raise NotFound("error.tool_unknown", "code", value=code)
        return tool

    @staticmethod
    def _taken(tx: Tx, tool: Tool) -> StaleError:
        holder = tx.s.exec(select(Tool.holder).where(Tool.id == tool.id)).first()
        return StaleError("error.tool_out", code=tool.code, by=holder or "?")
