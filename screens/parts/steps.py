"""A request's checklist with its keys: enter ticks the highlighted step asking for what it wants
(a value, a note, a yes), space ticks it with the answer offered; `b` and the digits choose the
help wanted (the procedure's branches), add another or switch one that cannot go on."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import var
from textual.widgets import OptionList, Static

from liyuan_tui.domain.models import Request
from liyuan_tui.domain.permissions import Action, allowed, can_see, hidden_fields
from liyuan_tui.domain.procedures import Procedure, Step
from liyuan_tui.reports.tables import governed_by
from liyuan_tui.store import RequestDetail
from liyuan_tui.widgets.checklist import Checklist
from liyuan_tui.widgets.keys import BRANCH_DIGITS
from liyuan_tui.widgets.messages import RequestSaved
from liyuan_tui.widgets.page import own_page_keys
from liyuan_tui.widgets.plain import plain
from liyuan_tui.widgets.store_work import store_work

from ..dialogs import AskScreen, ConfirmScreen, PickScreen
from .request_keys import say_done

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


def branch_question(proc: Procedure | None) -> Step | None:
    """The step that asks which help is wanted: the one just before the branches' steps."""
    if proc is None or not proc.branches:
        return None
    first = next((i for i, s in enumerate(proc.steps) if s.branch), 0)
    return proc.steps[first - 1] if first > 0 else None


class Steps(Vertical):
    """The checklist, its title and what it needs next (the help wanted); `detail` is the page's."""

    BINDINGS = BRANCH_DIGITS
    detail: var[RequestDetail | None] = var(None, always_update=True)
    app: LiyuanApp

    def __init__(self, ref: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ref = ref

    def compose(self) -> ComposeResult:
        yield Static(self.app.t("ui.request.checklist"), id="checklist-title", classes="pane-title")
        yield Checklist(id="checklist")
        yield Static("", id="branch-hint")

    def on_mount(self) -> None:
        self.checklist = self.query_one(Checklist)
        own_page_keys(self)
        own_page_keys(self.checklist)  # its enter and space, in the user's language
        self.checklist.focus()

    def watch_detail(self, detail: RequestDetail | None) -> None:
        if detail is None:
            return
        app, t, req = self.app, self.app.t, detail.request
        proc = app.procedures.get(req.category)
        hint = self.query_one("#branch-hint", Static)
        if proc is None:
            hint.update(t("ui.request.no_category"))
            return
        details = not hidden_fields(app.me, req, app.procedures)
        self.checklist.show(proc, req, detail.steps, t=t, tz=app.tz, staff=app.staff, visible=details)
        self.checklist.pin_highlight()  # the step to do next at the top, once laid out
        hint.update(plain(self._branch_hint(proc, detail)))
        hint.display = bool(hint.content)
        title = Text(t("ui.request.checklist"))
        if proc.refers_to is not None:  # the company procedure this checklist stands for
            title.append("  " + governed_by(proc, t), style="dim")
        self.query_one("#checklist-title", Static).update(title)

    def _branch_hint(self, proc: Procedure, detail: RequestDetail) -> str:
        t, chosen = self.app.t, detail.request.branch_list
        if not proc.branches:
            return ""
        if not chosen:
            return t(
                "ui.request.choose_branch",
                branches=" · ".join(f"{i} {b.name(t.lang)}" for i, b in enumerate(proc.branches, 1)),
            )
        left = [b for b in proc.branches if b.key not in chosen]
        return t("ui.request.add_branch", branches=" / ".join(b.name(t.lang) for b in left)) if left else ""

    # --- ticking ---------------------------------------------------------------------------------

    def write(self, call: Callable[[], Request], action: str) -> None:
        store_work(self, call, lambda req: RequestSaved(req, action), action=action)

    @on(RequestSaved)
    def _saved(self, msg: RequestSaved) -> None:
        say_done(self.app, msg.action, msg.request)

    @on(OptionList.OptionSelected, "#checklist")
    def _step_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.tick()

    @on(Checklist.TickOffered)
    def _step_offered(self, event: Checklist.TickOffered) -> None:
        event.stop()
        self.tick(offered=True)

    def tick(self, offered: bool = False) -> None:
        """Tick the highlighted step, asking first for what it wants (a value, a note, a yes).
        `offered` (space): a step whose answer is what the form holds is ticked with it at once;
        one whose answer is a suggestion (a default that says something) opens it to confirm with
        enter; enter always opens the answer to edit first."""
        option, detail = self.checklist.highlighted_option, self.detail
        if detail is None or option is None or option.id not in self.checklist.steps:
            return
        app, t, req, ref = self.app, self.app.t, detail.request, self.ref
        step = self.checklist.steps[option.id]
        rec = detail.steps.get(step.key)
        if rec is not None:
            who = app.staff.get(rec.done_by)
            at = f"{rec.done_at.astimezone(app.tz):%H:%M}"
            app.notify(t("ui.request.already_done", by=who.name if who else rec.done_by, at=at))
            return
        lifecycle = app.store.lifecycle
        if step is branch_question(app.procedures.get(req.category)) and not req.branch_list:
            self.action_branch()  # which help is wanted: the answer is the branch (ticks this step too)
            return
        if step.input in ("value", "note"):
            answer = self.offered(step, detail)

            def tick_with(text: str) -> Request:
                if step.input == "value":
                    return lifecycle.tick_step(ref, step.key, value=text)
                return lifecycle.tick_step(ref, step.key, note=text)

            if offered and answer and not step.suggests:  # the form's own words: taken at once
                self.write(lambda: tick_with(answer), "step")
                return
            # An answer that says more than the operator did is a suggestion: shown, confirmed.
            ask = AskScreen(
                step.text(t.lang),
                step.prompt(t.lang) if step.prompt else "",
                save=tick_with,
                action="step",
                value=answer,
                choices=step.choices,
            )
            app.push_screen(ask)  # what it wrote reaches this page through the app
        elif step.input == "confirm":

            def answered(yes: bool | None) -> None:
                if yes:
                    self.write(lambda: lifecycle.tick_step(ref, step.key), "step")
                elif yes is False and step.gate and step.branch:
                    self._gate_refused(step)

            app.push_screen(ConfirmScreen(t("ui.request.confirm_step", step=step.text(t.lang))), answered)
        else:
            self.write(lambda: lifecycle.tick_step(ref, step.key), "step")

    def offered(self, step: Step, detail: RequestDetail) -> str:
        """The answer offered for a step: what the form holds, else its default filled in."""
        app, req = self.app, detail.request
        return step.offered(
            app.t.lang,
            unit=req.unit,
            phone=req.phone,
            name=req.requester_name,
            description=req.description if can_see(app.me, req) else "",
            now=f"{app.clock.now().astimezone(app.tz):%H:%M}",
        )

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
        if self.detail is None:
            return
        lifecycle, ref = self.app.store.lifecycle, self.ref
        question = branch_question(self.app.procedures.get(self.detail.request.category))
        ask_first = question is not None and question.key not in self.detail.steps

        def choose() -> Request:
            if ask_first and question is not None:
                lifecycle.tick_step(ref, question.key)
            return lifecycle.choose_branch(ref, key)

        self.write(choose, "branch")

    def action_branch(self, reason: str = "") -> None:
        """Choose a branch of the procedure (medical: hospital / 120 / care), add another, or
        switch one that cannot go on for another (asks why; recorded)."""
        if self.detail is None:
            return
        app, t, req = self.app, self.app.t, self.detail.request
        proc = app.procedures.get(req.category)
        left = [b for b in (proc.branches if proc else ()) if b.key not in req.branch_list]
        if proc is None or not left:
            app.notify(t("ui.request.no_branches"))
            return
        choices = [(b.key, b.name(t.lang)) for b in left]
        switching = allowed(app.me.role, Action.UPDATE)  # the desk decides what help is given instead
        for old in req.branch_list if switching else []:
            was = proc.branch(old)
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
                self.ask_switch(proc, old, new, reason)
            elif key:
                self._choose(key)

        app.push_screen(PickScreen(t("ui.request.branch_title"), choices), chosen)

    def ask_switch(self, proc: Procedure, old: str, new: str, reason: str) -> None:
        app, t, lifecycle, ref = self.app, self.app.t, self.app.store.lifecycle, self.ref
        branch = proc.branch(new)
        ask = AskScreen(
            t("ui.request.switch_title", new=branch.name(t.lang) if branch else new),
            t("ui.request.switch_reason"),
            save=lambda why: lifecycle.switch_branch(ref, old, new, why),
            action="branch_switched",
            value=reason,
        )
        app.push_screen(ask, lambda req: say_done(app, "branch_switched", req))

    def _gate_refused(self, step: Step) -> None:
        """A branch's gate answered no (no family member can stay with the patient): that help
        cannot go on; the desk says so and offers to switch to another."""
        if self.detail is None:
            return
        app, t, req = self.app, self.app.t, self.detail.request
        proc = app.procedures.get(req.category)
        if proc is None:
            return
        branch = proc.branch(step.branch) if step.branch else None
        others = [b for b in proc.branches if b.key not in req.branch_list]
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
