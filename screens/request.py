"""One request: its details and live countdown, the procedure's checklist step by step, and the
timeline of everything that happened to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static

from liyuan_tui.domain.deadlines import format_countdown, seconds_left, urgency
from liyuan_tui.domain.permissions import can_see, hidden_fields
from liyuan_tui.domain.safe_text import visible
from liyuan_tui.domain.models import Event
from liyuan_tui.store import RequestDetail
from liyuan_tui.widgets.charge_list import ChargeList
from liyuan_tui.widgets.checklist import Checklist
from liyuan_tui.widgets.keys import REQUEST_KEYS, bindings, translate_bindings
from liyuan_tui.widgets.messages import DetailRead, RequestSaved
from liyuan_tui.widgets.order_list import OrderList
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.queue_table import URGENCY_STYLE
from liyuan_tui.widgets.store_work import store_work
from liyuan_tui.widgets.timeline import Timeline

from .charges import ChargeKeys
from .order_keys import OrderKeys
from .request_actions import RequestActions

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


class RequestScreen(OrderKeys, ChargeKeys, RequestActions, Screen):
    BINDINGS = bindings(REQUEST_KEYS)
    KEYS = REQUEST_KEYS
    app: "LiyuanApp"

    def __init__(self, ref: str) -> None:
        super().__init__(classes="request")
        self.ref = ref
        self.detail: RequestDetail | None = None
        self._countdown_text: Text | None = None
        self._after_tick = None  # what a tick from this screen leads to (the choice of branch)

    def compose(self) -> ComposeResult:
        t = self.app.t
        translate_bindings(self, t)
        yield Header(icon="")
        with Horizontal(id="request-top"):
            yield Static(id="request-summary")
            yield Static(id="request-countdown")
        with Horizontal(id="request-body"):
            with Vertical(id="checklist-pane"):
                yield Static(t("ui.request.checklist"), classes="pane-title")
                yield Checklist(id="checklist")
                yield Static("", id="branch-hint")
                yield ChargeList(id="charges")
                yield OrderList(id="request-orders")
            with VerticalScroll(id="timeline-pane"):
                yield Static(t("ui.request.timeline"), classes="pane-title")
                yield Timeline(id="timeline")
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p is in the help (?)

    def on_mount(self) -> None:
        self.summary = self.query_one("#request-summary", Static)
        self.countdown = self.query_one("#request-countdown", Static)
        self.checklist = self.query_one(Checklist)
        translate_bindings(self.checklist, self.app.t)
        self.timeline = self.query_one(Timeline)
        self.branch_hint = self.query_one("#branch-hint", Static)
        self.checklist.focus()
        self.reload()

    # --- loading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        lookup = self.app.store.lookup
        store_work(self, lambda: lookup.detail(self.ref), DetailRead, action="detail", exclusive=True)

    def requests_changed(self, events: list[Event]) -> None:
        """Read the request again when another terminal (or the ladder) changed it."""
        if self.detail is None:
            return
        shown = self.detail.events[-1].id if self.detail.events else 0
        if any(e.request_id == self.detail.request.id and (e.id or 0) > (shown or 0) for e in events):
            self.reload()

    def on_request_saved(self, msg: RequestSaved) -> None:
        """This screen's own write (RequestActions says it is done): show the request as it is now."""
        if msg.request.ref == self.ref:
            self.reload()
        if msg.action == "step" and self._after_tick is not None:
            self._after_tick(msg.request)

    @on(DetailRead)
    def _detail_read(self, msg: DetailRead) -> None:
        self.show(msg.detail)

    def show(self, detail: RequestDetail) -> None:
        app, t = self.app, self.app.t
        self.detail = detail
        req = detail.request
        hidden = hidden_fields(app.me, req, app.procedures)
        details = not hidden
        proc = app.procedures.get(req.category)
        self.summary.update(self._summary(detail, hidden))
        self.tick(app.clock.now())
        if proc is not None:
            self.checklist.show(proc, req, detail.steps, t=t, tz=app.tz, staff=app.staff, visible=details)
            left = [b for b in proc.branches if b.key not in req.branch_list]
            hint = ""
            if left:
                names = " / ".join(b.name(t.lang) for b in left)
                hint = t("ui.request.choose_branch" if not req.branch_list else "ui.request.add_branch", branches=names)
            self.branch_hint.update(plain(hint))
            self.branch_hint.display = bool(hint)
        else:
            self.branch_hint.update(t("ui.request.no_category"))
        self.timeline.show(detail.events, proc, t=t, tz=app.tz, staff=app.staff, visible=details)
        self.show_charges(detail)
        self.query_one(OrderList).show(detail.orders, t, app.tz, app.staff)

    def _summary(self, detail: RequestDetail, hidden: frozenset[str]) -> Text:
        """Who, where and what (the fields the viewer may see): plain text, never markup."""
        app, t, req = self.app, self.app.t, detail.request

        def shown(name: str) -> str:
            value = getattr(req, name)
            return "***" if name in hidden and value else visible(value or "", newlines=name in ("description", "outcome"))

        proc = app.procedures.get(req.category)
        text = Text()
        text.append(f"{req.ref}  ", style="bold")
        text.append(visible(proc.name(t.lang), newlines=False) if proc else t("ui.queue.no_category"), style="bold cyan")
        text.append(f"   {t('status.' + req.status)}")
        if req.major:
            text.append(f"   ! {t('field.major')}", style="bold magenta")
        if req.escalated_at:
            text.append(f"   ^ {t('ui.request.escalated', at=f'{req.escalated_at.astimezone(app.tz):%H:%M}')}", style="yellow")
        if req.confidential:
            text.append(f"   {t('field.confidential')}", style="red")
        for at, by in ((req.acknowledged_at, req.acknowledged_by), (req.major_ack_at, req.major_ack_by)):
            if at is not None and by:  # the supervisor's or manager's answer, for the assistant to see
                who = app.staff.get(by)
                text.append("   " + visible(t("ui.team.acknowledged_by", by=who.name if who else by,
                                              at=f"{at.astimezone(app.tz):%H:%M}"), newlines=False), style="green")
        holder = app.staff.get(req.assignee or "")
        rows = [
            (t("field.unit"), shown("unit")), (t("field.phone"), shown("phone")),
            (t("field.name"), shown("requester_name")),
            (t("field.channel"), t(f"channel.{req.channel}")),
            (t("field.received_at"), f"{req.received_at.astimezone(app.tz):%H:%M:%S}"),
            (t("field.assignee"), visible(holder.name if holder else (req.assignee or "-"), newlines=False)),
        ]
        text.append("\n" + "   ".join(f"{k}: {v or '-'}" for k, v in rows[:3]))
        text.append("\n" + "   ".join(f"{k}: {v or '-'}" for k, v in rows[3:]))
        if req.description:
            text.append(f"\n{t('field.description')}: {shown('description')}")
        if req.outcome:
            text.append(f"\n{t('field.outcome')}: {shown('outcome')}"
                        + (f" → {shown('handed_to')}" if req.handed_to else ""))
        kind = proc.fault_kind(req.fault_kind) if proc is not None and req.fault_kind else None
        if kind is not None or req.repeat_of:
            text.append(f"\n{t('field.fault_kind')}: {visible(kind.name(t.lang), newlines=False) if kind else '-'}")
            if req.repeat_of:
                text.append(f"   ↺ {t('field.repeat_of')} ← {req.repeat_of}", style="bold yellow")
        return text

    def tick(self, now) -> None:
        """The countdown repaints only when its text or colour changes."""
        if self.detail is None:
            return
        req = self.detail.request
        state = urgency(req, now)
        text = Text.assemble((self.app.t("ui.request.reply_in") + " ", "dim"),
                             (format_countdown(seconds_left(req, now)), URGENCY_STYLE[state]),
                             f"  {self.app.t(f'state.{state}')}")
        if text != self._countdown_text:
            self._countdown_text = text
            self.countdown.update(text)

    # --- keys ------------------------------------------------------------------------------------

    def selected_ref(self) -> str | None:
        return self.ref

    @on(OptionList.OptionSelected, "#checklist")
    def _step_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_tick()

    def action_tick(self) -> None:
        """Tick the highlighted step, asking first for what it wants (a value, a note, a yes)."""
        from .dialogs import AskScreen, ConfirmScreen

        option = self.checklist.highlighted_option
        if self.detail is None or option is None or option.id not in self.checklist.steps:
            return
        app, t, req = self.app, self.app.t, self.detail.request
        step = self.checklist.steps[option.id]
        rec = self.detail.steps.get(step.key)
        if rec is not None:
            who = app.staff.get(rec.done_by)
            app.notify(t("ui.request.already_done", by=who.name if who else rec.done_by,
                         at=f"{rec.done_at.astimezone(app.tz):%H:%M}"))
            return

        def ticked(req) -> None:
            # The step that asks which help is wanted is followed at once by the choice of branch.
            if req is not None and step is _last_before_branches(app.procedures.get(req.category)) \
                    and not req.branch_list:
                self.action_branch()

        lifecycle = app.store.lifecycle
        if step.input in ("value", "note"):
            default = {"patient_address": req.unit, "contact_phone": req.phone}.get(step.key, "")
            app.push_screen(AskScreen(step.text(t.lang), step.prompt(t.lang) if step.prompt else "",
                                      save=lambda answer: lifecycle.tick_step(self.ref, step.key, **{step.input: answer}),
                                      action="step", value=default, choices=step.choices),
                            lambda written: (self.reload(), ticked(written)))
        elif step.input == "confirm":
            def answered(yes: bool | None) -> None:
                if yes:
                    self._tick(step.key, ticked)

            app.push_screen(ConfirmScreen(t("ui.request.confirm_step", step=step.text(t.lang))), answered)
        else:
            self._tick(step.key, ticked)

    def _tick(self, step_key: str, then) -> None:
        lifecycle = self.app.store.lifecycle
        self._after_tick = then
        self.write(lambda: lifecycle.tick_step(self.ref, step_key), "step")

    def action_branch(self) -> None:
        """Choose a branch of the procedure (medical: hospital / 120 / care); more can follow later."""
        from .dialogs import PickScreen

        if self.detail is None:
            return
        app, t, req = self.app, self.app.t, self.detail.request
        proc = app.procedures.get(req.category)
        left = [b for b in (proc.branches if proc else ()) if b.key not in req.branch_list]
        if not left:
            app.notify(t("ui.request.no_branches"))
            return

        lifecycle = app.store.lifecycle

        def chosen(key: str | None) -> None:
            if key:
                self.write(lambda: lifecycle.choose_branch(self.ref, key), "branch")

        app.push_screen(PickScreen(t("ui.request.branch_title"), [(b.key, b.name(t.lang)) for b in left]), chosen)

    def action_edit(self) -> None:
        self.app.edit_request(self.ref)

    def action_household(self) -> None:
        """`u`: the household file of the request's unit."""
        req = self.detail.request if self.detail is not None else None
        if req is not None and req.unit and can_see(self.app.me, req):
            self.app.open_household(req.unit)

    def action_back(self) -> None:
        self.app.pop_screen()


def _last_before_branches(proc):
    if proc is None or not proc.branches:
        return None
    first = next((i for i, s in enumerate(proc.steps) if s.branch), 0)
    return proc.steps[first - 1] if first > 0 else None
