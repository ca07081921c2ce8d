"""One request: its details and live countdown, the procedure's checklist step by step, and the
timeline of everything that happened to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static

from liyuan_tui.domain.deadlines import format_countdown, seconds_left, urgency
from liyuan_tui.reports.tables import governed_by
from liyuan_tui.domain.permissions import Action, allowed, can_see, hidden_fields
from liyuan_tui.domain.safe_text import visible
from liyuan_tui.domain.models import Event
from liyuan_tui.store import RequestDetail
from liyuan_tui.widgets.charge_list import ChargeList
from liyuan_tui.widgets.checklist import Checklist
from liyuan_tui.widgets.desk_lines import said_and_linked
from liyuan_tui.widgets.fit import fit
from liyuan_tui.widgets.key_bar import KeyBar
from liyuan_tui.widgets.keys import BRANCH_DIGITS, REQUEST_KEYS, bindings, translate_bindings
from liyuan_tui.widgets.messages import DetailRead, RequestSaved
from liyuan_tui.widgets.order_list import OrderList
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.queue_table import URGENCY_STYLE
from liyuan_tui.widgets.store_work import store_work
from liyuan_tui.widgets.timeline import Timeline

from .charges import ChargeKeys
from .desk_record_keys import DeskRecordKeys
from .order_keys import OrderKeys
from .request_actions import RequestActions

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


class RequestScreen(DeskRecordKeys, OrderKeys, ChargeKeys, RequestActions, Screen):
    BINDINGS = bindings(REQUEST_KEYS) + BRANCH_DIGITS
    KEYS = REQUEST_KEYS
    app: "LiyuanApp"

    def __init__(self, ref: str) -> None:
        super().__init__(classes="request")
        self.ref = ref
        self.detail: RequestDetail | None = None
        self._countdown_text: Text | None = None

    def compose(self) -> ComposeResult:
        t = self.app.t
        translate_bindings(self, t)
        yield Header(icon="")
        with Vertical(id="request-top"):
            with Horizontal(id="request-head"):  # the request and its clock, on one line
                yield Static(id="request-title")
                yield Static(id="request-countdown")
            yield Static(id="request-summary")
        with Horizontal(id="request-body"):
            with Vertical(id="checklist-pane"):
                yield Static(t("ui.request.checklist"), id="checklist-title", classes="pane-title")
                yield Checklist(id="checklist")
                yield Static("", id="branch-hint")
                yield ChargeList(id="charges")
                yield OrderList(id="request-orders")
            with VerticalScroll(id="timeline-pane"):
                yield Static(t("ui.request.timeline"), classes="pane-title")
                yield Timeline(id="timeline")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title_line = self.query_one("#request-title", Static)
        self.summary = self.query_one("#request-summary", Static)
        self.countdown = self.query_one("#request-countdown", Static)
        self.checklist = self.query_one(Checklist)
        translate_bindings(self.checklist, self.app.t)
        self.timeline = self.query_one(Timeline)
        self.branch_hint = self.query_one("#branch-hint", Static)
        self.checklist_title = self.query_one("#checklist-title", Static)
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
        title, summary = self._summary(detail, hidden)
        self.title_line.update(title)
        self.summary.update(summary)
        self.tick(app.clock.now())
        if proc is not None:
            self.checklist.show(proc, req, detail.steps, t=t, tz=app.tz, staff=app.staff, visible=details)
            self.checklist.pin_highlight()  # the step to do next at the top, once laid out
            self.branch_hint.update(plain(self._branch_hint(proc, req)))
            self.branch_hint.display = bool(self.branch_hint.content)
            title = Text(t("ui.request.checklist"))
            if proc.refers_to is not None:  # the company procedure this checklist stands for
                title.append("  " + governed_by(proc, t), style="dim")
            self.checklist_title.update(title)
        else:
            self.branch_hint.update(t("ui.request.no_category"))
        self.timeline.show(detail.events, proc, t=t, tz=app.tz, staff=app.staff, visible=details)
        self.show_charges(detail)
        self.query_one(OrderList).show(detail.orders, t, app.tz, app.staff)

    def _summary(self, detail: RequestDetail, hidden: frozenset[str]) -> tuple[Text, Group]:
        """The head line, and who, where and what (the fields the viewer may see): plain text,
        never markup."""
        app, t, req = self.app, self.app.t, detail.request

        def shown(name: str) -> str:
            value = getattr(req, name)
            return (
                "***"
                if name in hidden and value
                else visible(value or "", newlines=name in ("description", "outcome"))
            )

        proc = app.procedures.get(req.category)
        text = Text()
        text.append(f"{req.ref}  ", style="bold")
        text.append(
            visible(proc.name(t.lang), newlines=False) if proc else t("ui.queue.no_category"),
            style="bold cyan",
        )
        text.append(f"   {t('status.' + req.status)}")
        if req.major:
            text.append(f"   ! {t('field.major')}", style="bold magenta")
        if req.escalated_at:
            text.append(
                f"   ^ {t('ui.request.escalated', at=f'{req.escalated_at.astimezone(app.tz):%H:%M}')}",
                style="yellow",
            )
        if req.confidential:
            text.append(f"   {t('field.confidential')}", style="red")
        for at, by in ((req.acknowledged_at, req.acknowledged_by), (req.major_ack_at, req.major_ack_by)):
            if at is not None and by:  # the supervisor's or manager's answer, for the assistant to see
                who = app.staff.get(by)
                text.append(
                    "   "
                    + visible(
                        t(
                            "ui.team.acknowledged_by",
                            by=who.name if who else by,
                            at=f"{at.astimezone(app.tz):%H:%M}",
                        ),
                        newlines=False,
                    ),
                    style="green",
                )
        holder = app.staff.get(req.assignee or "")
        rows = [
            (t("field.unit"), shown("unit")),
            (t("field.phone"), shown("phone")),
            (t("field.name"), shown("requester_name")),
            (t("field.channel"), t(f"channel.{req.channel}")),
            (t("field.received_at"), f"{req.received_at.astimezone(app.tz):%H:%M:%S}"),
            (t("field.assignee"), visible(holder.name if holder else (req.assignee or "-"), newlines=False)),
        ]
        # Three to a line, each cut with an ellipsis where the line is short (80 columns).
        grid = Table.grid(expand=True, padding=(0, 2))
        for _ in range(3):
            grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        for i in (0, 3):
            grid.add_row(*(Text.assemble((f"{k}: ", "dim"), v or "-") for k, v in rows[i : i + 3]))
        more = Text()
        if req.description:  # the resident's words: two lines at most here (`i` shows them all)
            more.append(f"{t('field.description')}: ", style="dim")
            more.append_text(fit(" ".join(shown("description").split()), 150))
        if req.outcome and not req.is_open:  # a reopened request has no outcome (yet): none shown
            more.append(("\n" if more else "") + f"{t('field.outcome')}: ", style="dim")
            more.append_text(
                fit(
                    " ".join(shown("outcome").split())
                    + (f" → {shown('handed_to')}" if req.handed_to else ""),
                    150,
                )
            )
        kind = proc.fault_kind(req.fault_kind) if proc is not None and req.fault_kind else None
        if kind is not None or req.repeat_of:
            more.append(("\n" if more else "") + f"{t('field.fault_kind')}: ", style="dim")
            more.append(visible(kind.name(t.lang), newlines=False) if kind else "-")
            if req.repeat_of:
                more.append(f"   ↺ {t('field.repeat_of')} ← {req.repeat_of}", style="bold yellow")
        said = said_and_linked(detail, hidden, t)  # what the caller was told, the incident
        if said:
            more.append("\n" if more else "")
            more.append_text(said)
        return text, (Group(grid, more) if more else Group(grid))

    def summary_text(self, width: int = 120) -> str:
        """The request's head and fields as plain text (what the tests read)."""
        import io

        from rich.console import Console

        console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
        for widget in (self.title_line, self.summary):
            console.print(widget.content)
        return console.export_text()

    def tick(self, now) -> None:
        """The countdown repaints only when its text or colour changes."""
        if self.detail is None:
            return
        req, t = self.detail.request, self.app.t
        state = urgency(req, now)
        if req.replied_at is not None:  # the clock has stopped: when, and how long it took
            took = format_countdown(int((req.replied_at - req.received_at).total_seconds()), t.lang)
            text = Text(
                t("ui.request.replied_at", at=f"{req.replied_at.astimezone(self.app.tz):%H:%M}", took=took),
                style=URGENCY_STYLE[state],
            )
        else:
            text = Text.assemble(
                (t("ui.request.reply_in") + " ", "dim"),
                (format_countdown(seconds_left(req, now), t.lang), URGENCY_STYLE[state]),
                f"  {t(f'state.{state}')}",
            )
        if text != self._countdown_text:
            # Only the countdown's own cells are repainted: a new layout (Static's default) would
            # repaint the whole screen every second, checklist and timeline too (12 KB/s at 120×40).
            same_width = self._countdown_text is not None and text.cell_len == self._countdown_text.cell_len
            self._countdown_text = text
            self.countdown.update(text, layout=not same_width)

    # --- keys ------------------------------------------------------------------------------------

    def selected_ref(self) -> str | None:
        return self.ref

    @on(OptionList.OptionSelected, "#checklist")
    def _step_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_tick()

    @on(Checklist.TickOffered)
    def _step_offered(self, event: Checklist.TickOffered) -> None:
        event.stop()
        self.action_tick(offered=True)

    def action_tick(self, offered: bool = False) -> None:
        """Tick the highlighted step, asking first for what it wants (a value, a note, a yes).
        `offered` (space): a step whose answer is what the form holds is ticked with it at once;
        one whose answer is a suggestion (a default that says something) opens it to confirm with
        enter; enter always opens the answer to edit first."""
        from .dialogs import AskScreen, ConfirmScreen

        option = self.checklist.highlighted_option
        if self.detail is None or option is None or option.id not in self.checklist.steps:
            return
        app, t, req = self.app, self.app.t, self.detail.request
        step = self.checklist.steps[option.id]
        rec = self.detail.steps.get(step.key)
        if rec is not None:
            who = app.staff.get(rec.done_by)
            app.notify(
                t(
                    "ui.request.already_done",
                    by=who.name if who else rec.done_by,
                    at=f"{rec.done_at.astimezone(app.tz):%H:%M}",
                )
            )
            return
        lifecycle = app.store.lifecycle
        if step is _branch_question(app.procedures.get(req.category)) and not req.branch_list:
            self.action_branch()  # which help is wanted: the answer is the branch (ticks this step too)
            return
        if step.input in ("value", "note"):
            answer = self.offered(step)
            if offered and answer and not step.suggests:  # the form's own words: taken at once
                self._tick(step.key, **{step.input: answer})
                return
            # An answer that says more than the operator did is a suggestion: shown, confirmed.
            app.push_screen(
                AskScreen(
                    step.text(t.lang),
                    step.prompt(t.lang) if step.prompt else "",
                    save=lambda text: lifecycle.tick_step(self.ref, step.key, **{step.input: text}),
                    action="step",
                    value=answer,
                    choices=step.choices,
                ),
                lambda written: self.reload(),
            )
        elif step.input == "confirm":

            def answered(yes: bool | None) -> None:
                if yes:
                    self._tick(step.key)
                elif yes is False and step.gate and step.branch:
                    self._gate_refused(step)

            app.push_screen(ConfirmScreen(t("ui.request.confirm_step", step=step.text(t.lang))), answered)
        else:
            self._tick(step.key)

    def action_tick_offered(self) -> None:
        self.action_tick(offered=True)

    def offered(self, step) -> str:
        """The answer offered for a step: what the form holds, else its default filled in."""
        app, req = self.app, self.detail.request  # type: ignore[union-attr]
        visible = can_see(app.me, req)
        return step.offered(
            app.t.lang,
            unit=req.unit,
            phone=req.phone,
            name=req.requester_name,
            description=req.description if visible else "",
            now=f"{app.clock.now().astimezone(app.tz):%H:%M}",
        )

    def _tick(self, step_key: str, **answer: str) -> None:
        lifecycle = self.app.store.lifecycle
        self.write(lambda: lifecycle.tick_step(self.ref, step_key, **answer), "step")

    def _branch_hint(self, proc, req) -> str:
        t = self.app.t
        if not proc.branches:
            return ""
        if not req.branch_list:
            return t(
                "ui.request.choose_branch",
                branches=" · ".join(f"{i} {b.name(t.lang)}" for i, b in enumerate(proc.branches, 1)),
            )
        left = [b for b in proc.branches if b.key not in req.branch_list]
        return t("ui.request.add_branch", branches=" / ".join(b.name(t.lang) for b in left)) if left else ""

    # --- the help wanted (branches) ---------------------------------------------------------------

    def action_pick_branch(self, number: int) -> None:
        """A digit chooses the help wanted by its number (1 hospital, 2 call 120, 3 care): it
        answers the step that asks which help is wanted, and the branch's steps follow."""
        if self.detail is None:
            return
        app, t, req = self.app, self.app.t, self.detail.request
        proc = app.procedures.get(req.category)
        if proc is None or not 1 <= number <= len(proc.branches):
            return
        branch = proc.branches[number - 1]
        if branch.key in req.branch_list:
            app.notify(t("error.branch_already", branch=branch.name(t.lang)))
            return
        self._choose(branch.key)

    def _choose(self, key: str) -> None:
        app, req = self.app, self.detail.request  # type: ignore[union-attr]
        lifecycle, ref = app.store.lifecycle, self.ref
        question = _branch_question(app.procedures.get(req.category))
        asked = question is None or question.key in self.detail.steps  # type: ignore[union-attr]

        def choose():
            if not asked:
                lifecycle.tick_step(ref, question.key)  # type: ignore[union-attr]
            return lifecycle.choose_branch(ref, key)

        self.write(choose, "branch")

    def action_branch(self, reason: str = "") -> None:
        """Choose a branch of the procedure (medical: hospital / 120 / care), add another, or
        switch one that cannot go on for another (asks why; recorded)."""
        from .dialogs import PickScreen

        if self.detail is None:
            return
        app, t, req = self.app, self.app.t, self.detail.request
        proc = app.procedures.get(req.category)
        left = [b for b in (proc.branches if proc else ()) if b.key not in req.branch_list]
        if not left:
            app.notify(t("ui.request.no_branches"))
            return
        choices = [(b.key, b.name(t.lang)) for b in left]
        switching = allowed(app.me.role, Action.UPDATE)  # the desk decides what help is given instead
        for old in req.branch_list if switching else []:
            was = proc.branch(old)  # type: ignore[union-attr]
            choices += [
                (
                    f"{old}>{b.key}",
                    t("ui.request.switch_choice", new=b.name(t.lang), old=was.name(t.lang) if was else old),
                )
                for b in left
            ]

        def chosen(key: str | None) -> None:
            if key and ">" in key:
                old, new = key.split(">", 1)
                self.ask_switch(old, new, reason)
            elif key:
                self._choose(key)

        app.push_screen(PickScreen(t("ui.request.branch_title"), choices), chosen)

    def ask_switch(self, old: str, new: str, reason: str) -> None:
        from .dialogs import AskScreen

        app, t = self.app, self.app.t
        proc = app.procedures.get(self.detail.request.category)  # type: ignore[union-attr]
        name = proc.branch(new).name(t.lang) if proc and proc.branch(new) else new
        lifecycle, ref = app.store.lifecycle, self.ref
        app.push_screen(
            AskScreen(
                t("ui.request.switch_title", new=name),
                t("ui.request.switch_reason"),
                save=lambda why: lifecycle.switch_branch(ref, old, new, why),
                action="branch_switched",
                value=reason,
            ),
            lambda req: (self.say_done("branch_switched", req), self.reload()),
        )

    def _gate_refused(self, step) -> None:
        """A branch's gate answered no (no family member can stay with the patient): that help
        cannot go on; the desk says so and offers to switch to another."""
        app, t = self.app, self.app.t
        proc = app.procedures.get(self.detail.request.category)  # type: ignore[union-attr]
        if proc is None:
            return
        branch = proc.branch(step.branch)
        others = [b for b in proc.branches if b.key not in self.detail.request.branch_list]  # type: ignore[union-attr]
        question = step.prompt(t.lang) if step.prompt else step.text(t.lang)
        app.notify(
            t(
                "ui.request.gate_no",
                question=question,
                branch=branch.name(t.lang) if branch else "",
                others=" / ".join(b.name(t.lang) for b in others),
            ),
            severity="warning",
            timeout=10,
        )
        if others and allowed(app.me.role, Action.UPDATE):
            self.action_branch(reason=t("ui.request.gate_no_reason", question=question))

    def action_edit(self) -> None:
        self.app.edit_request(self.ref, self.detail.request if self.detail is not None else None)

    def action_household(self) -> None:
        """`u`: the household file of the request's unit."""
        req = self.detail.request if self.detail is not None else None
        if req is not None and req.unit and can_see(self.app.me, req):
            self.app.open_household(req.unit)

    def action_back(self) -> None:
        self.app.pop_screen()


def _branch_question(proc):
    """The step that asks which help is wanted: the one just before the branches' steps."""
    if proc is None or not proc.branches:
        return None
    first = next((i for i, s in enumerate(proc.steps) if s.branch), 0)
    return proc.steps[first - 1] if first > 0 else None
