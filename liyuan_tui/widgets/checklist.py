"""A request's checklist, step by step: done steps with who and when, the current step marked and
highlighted, the chosen branches under their own headings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Request, Staff, StepRecord
from liyuan_tui.domain.procedures import Procedure, Step, request_conditions
from liyuan_tui.domain.safe_text import visible as shown

from .plain import plain


def current_step(proc: Procedure, req: Request, done: Mapping[str, StepRecord]) -> Step | None:
    """The step to do next: the first required one not done and not waiting on another (the
    optional ones around it stay a cursor key away); when every required step is done, the
    first optional one left."""
    branches = req.branch_list
    conds = request_conditions(req.major, req.escalated_at is not None, req.channel, req.confidential)
    ready = [
        s
        for s in proc.checklist(branches, conds)
        if s.key not in done and not proc.blocking(s, branches, conds, done)
    ]
    return next((s for s in ready if s.required), ready[0] if ready else None)


class Checklist(OptionList):
    """Enter ticks the highlighted step, asking for what it wants; space ticks it with the answer
    offered (the screen decides what that is)."""

    DEFAULT_CSS = """
    Checklist, Checklist:focus { height: 1fr; border: none; padding: 0; scrollbar-gutter: stable; }
    """
    # Shown in the footer (their descriptions are ui.key.select / ui.key.offer).
    BINDINGS = [Binding("space", "offer", "tick"), Binding("enter", "select", "fill in")]

    @dataclass
    class TickOffered(Message):
        """Space on a step: tick it with the answer offered, if it has one."""

    def action_offer(self) -> None:
        if self.highlighted_option is not None and not self.highlighted_option.disabled:
            self.post_message(self.TickOffered())

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.steps: dict[str, Step] = {}
        self.current: Step | None = None
        self._pinned = False  # the highlighted step kept at the top as the screen's layout settles

    def pin_highlight(self) -> None:
        """The step to do next at the top, what follows it below: once laid out, and again each
        time the list's size changes while the screen around it settles (the same place however
        often the request is read again)."""
        self._pinned = True
        self.call_after_refresh(self._to_pinned)

    def _to_pinned(self) -> None:
        if self._pinned:
            self.scroll_to_highlight(top=True)

    def on_resize(self) -> None:
        self.call_after_refresh(self._to_pinned)

    def on_key(self) -> None:  # the user moves on their own: the list no longer follows
        self._pinned = False

    def show(
        self,
        proc: Procedure,
        req: Request,
        done: Mapping[str, StepRecord],
        *,
        t: Translator,
        tz: tzinfo,
        staff: Mapping[str, Staff],
        visible: bool,
    ) -> None:
        keep = self.highlighted_option.id if self.highlighted_option is not None else None
        # Whoever was on the current step follows it when it moves on; one who moved away stays.
        following = keep is None or self.current is None or keep == self.current.key
        branches = req.branch_list
        conds = request_conditions(req.major, req.escalated_at is not None, req.channel, req.confidential)
        self.current = current_step(proc, req, done)
        self.steps = {}
        options: list[Option] = []
        shown_branch: str | None = None
        for step in proc.checklist(branches, conds):
            if step.branch != shown_branch:
                branch = proc.branch(step.branch) if step.branch else None
                title = branch.name(t.lang) if branch else t("ui.request.after_branches")
                options.append(
                    Option(
                        plain(f"── {title} ──", "bold cyan", one_line=True),
                        id=f"branch:{step.branch}",
                        disabled=True,
                    )
                )
                shown_branch = step.branch
            self.steps[step.key] = step
            options.append(
                Option(
                    self._prompt(
                        step,
                        done.get(step.key),
                        proc,
                        branches,
                        conds,
                        done,
                        t=t,
                        tz=tz,
                        staff=staff,
                        visible=visible,
                    ),
                    id=step.key,
                )
            )
        self.set_options(options)
        target = self.current.key if following and self.current is not None else keep
        if target in self.steps:
            self.highlighted = self.get_option_index(target)

    def _prompt(
        self,
        step: Step,
        rec: StepRecord | None,
        proc: Procedure,
        branches: list[str],
        conds: set[str],
        done: Mapping[str, StepRecord],
        *,
        t: Translator,
        tz: tzinfo,
        staff: Mapping[str, Staff],
        visible: bool,
    ) -> Table:
        is_current = self.current is not None and step.key == self.current.key
        if rec is not None:
            mark, style = "[x]", "green"
        elif proc.blocking(step, branches, conds, done):
            mark, style = "[ ]" if step.required else "( )", "dim"
        else:
            mark, style = "[ ]" if step.required else "( )", "bold" if is_current else ""
        text = plain(step.text(t.lang), style)
        detail = []
        if rec is not None:
            who = staff.get(rec.done_by)
            detail.append(f"{who.name if who else rec.done_by} {rec.done_at.astimezone(tz):%H:%M}")
            for extra in (rec.value, rec.note):
                if extra:
                    detail.append(extra if visible else "***")
        else:
            detail.append(t(f"role.{step.role}"))
            if not step.required:
                detail.append(t("ui.request.optional"))
            if step.input in ("value", "note") and step.prompt:
                detail.append(t("ui.request.asks", prompt=step.prompt(t.lang)))
            elif step.input == "confirm":
                detail.append(t("ui.request.asks_confirm"))
        text.append("\n" + shown(" · ".join(detail), newlines=False), style="dim")
        # A grid keeps wrapped lines of a long step indented under its text, not under the mark.
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=5, no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(Text.assemble(("> " if is_current else "  ", "bold yellow"), (mark, style)), text)
        return grid
