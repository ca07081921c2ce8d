"""Walking a request from intake to close by keys, as the desk would: the assistant at one terminal,
and where a step is another role's, that person at their own terminal on the same database.

The steps come from the loaded procedure (never hard-coded here), so a site's wording or a new
step does not break the walks; what is asserted is that the request ends closed with every
required step done by the right person."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from screens_import import AskScreen, CloseScreen, ConfirmScreen, IntakeScreen, PickScreen, RequestScreen
from textual.pilot import Pilot
from textual.widgets import Input
from ui_helpers import advance, settle

from liyuan_tui.domain.procedures import Procedure, Step, request_conditions
from liyuan_tui.widgets.checklist import Checklist

ANSWER = "ok"  # what each person types where a step asks for a value or a note


@dataclass
class Terminal:
    """One person's desk app, driven by its Pilot."""

    pilot: Pilot
    login: str
    role: str

    @property
    def app(self):
        return self.pilot.app

    @property
    def screen(self):
        return self.pilot.app.screen


@asynccontextmanager
async def terminals(
    make_app, *logins: str, lang: str = "zh", size=(120, 40)
) -> AsyncIterator[list[Terminal]]:
    """Desk apps for `logins`, all running at once on the test database."""
    async with AsyncExitStack() as stack:
        out = []
        for login in logins:
            app = make_app(login, lang=lang)
            pilot = await stack.enter_async_context(app.run_test(size=size))
            await settle(pilot)
            out.append(Terminal(pilot, login, app.me.role))
        yield out


async def log_request(
    desk: Terminal,
    letter: str,
    *,
    channel: str = "1",
    unit: str = "301",
    phone: str = "8123",
    confidential: bool = False,
) -> str:
    """`n`, then the form: category letter, channel digit, unit, phone (an intercom extension);
    ctrl+s goes on to the checklist. Returns the new request's ref."""
    pilot = desk.pilot
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(desk.screen, IntakeScreen)
    ref = desk.screen.ref
    await pilot.press(letter.lower(), channel, *unit, "tab", *phone, "tab")  # on to the requester's name
    if confidential:
        await pilot.press("tab", "tab", "tab", "space")  # description, major, confidential: ticked
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(desk.screen, RequestScreen), desk.screen
    return ref


async def open_first(term: Terminal) -> None:
    """Another terminal opens the request from its queue (the only one open in these tests)."""
    await term.pilot.press("enter")
    await settle(term.pilot)
    assert isinstance(term.screen, RequestScreen), term.screen


async def press_and_settle(term: Terminal, *keys: str) -> None:
    await term.pilot.press(*keys)
    await settle(term.pilot)


async def highlight(term: Terminal, key: str) -> None:
    """Move the checklist's cursor to step `key` as a person would: arrow keys from where it is,
    or home / end first when that is nearer."""
    checklist = term.screen.query_one(Checklist)
    order = [o.id for o in checklist.options if not o.disabled]  # the cursor skips branch headings
    assert key in order, f"{key} is not on {term.login}'s checklist"
    at = order.index(checklist.highlighted_option.id) if checklist.highlighted_option else 0
    to = order.index(key)
    keys = min(
        [
            ("down" if to > at else "up",) * abs(to - at),
            ("home",) + ("down",) * to,
            ("end",) + ("up",) * (len(order) - 1 - to),
        ],
        key=len,
    )
    if keys:
        await term.pilot.press(*keys)
    assert checklist.highlighted_option.id == key, f"could not reach {key}"


async def tick(term: Terminal, key: str, answer: str = ANSWER, *, yes: bool = True) -> str | None:
    """Enter on step `key`, answering what it asks. Returns the refusal shown, if any (a dialog's
    error on its field, or the notification), else None."""
    await highlight(term, key)
    before = {id(n) for n in term.app._notifications}
    await term.pilot.press("enter")  # a dialog opens at once; a step that asks nothing goes to the store
    screen = term.screen
    if isinstance(screen, AskScreen):
        if not screen.query_one("#answer", Input).value:  # some steps offer what the form holds
            await term.pilot.press(*answer)
        await press_and_settle(term, "enter")
        if isinstance(term.screen, AskScreen):
            error = str(term.screen.query_one(".dialog-error").render())
            await press_and_settle(term, "escape")
            return error
    elif isinstance(screen, ConfirmScreen):
        await press_and_settle(term, "y" if yes else "n")
    else:
        await settle(term.pilot)
    errors = [n for n in term.app._notifications if id(n) not in before and n.severity == "error"]
    return errors[-1].message if errors else None


async def choose_branch(term: Terminal, branch: str) -> None:
    """The branch dialog (opened by the step that asks which help is wanted, or by `b`)."""
    if not isinstance(term.screen, PickScreen):
        await press_and_settle(term, "b")
    pick = term.screen.query_one("#pick")
    for _ in range(pick.option_count):
        if pick.highlighted_option.id == branch:
            break
        await term.pilot.press("down")
    assert pick.highlighted_option.id == branch, f"{branch} is not offered"
    await press_and_settle(term, "enter")


def pending_required(proc: Procedure, detail) -> list[Step]:
    req = detail.request
    conds = request_conditions(req.major, req.escalated_at is not None, req.channel, req.confidential)
    steps = proc.checklist(req.branch_list, conds)
    return [
        s
        for s in steps
        if s.required
        and s.key not in detail.steps
        and not proc.blocking(s, req.branch_list, conds, detail.steps)
    ]


async def walk(
    ref: str,
    desk: Terminal,
    others: Iterable[Terminal] = (),
    *,
    branches: Iterable[str] = (),
    skip: Iterable[str] = (),
    minutes_per_step: int = 1,
) -> dict[str, str]:
    """Tick every required step still open, in checklist order, each at the terminal of the role
    whose step it is (the desk records the others' steps when that person has no terminal here).
    Branches are chosen when the checklist asks. Returns {step: login of who ticked it}."""
    by_role = {t.role: t for t in others}
    wanted = list(branches)
    last = desk
    proc = desk.app.procedures[(await asyncio.to_thread(desk.app.store.lookup.get_request, ref)).category]
    ticked: dict[str, str] = {}
    while True:
        detail = await asyncio.to_thread(desk.app.store.lookup.detail, ref)
        todo = [s for s in pending_required(proc, detail) if s.key not in skip]
        if not todo:
            return ticked
        step = todo[0]
        term = by_role.get(step.role, desk)
        if term is not last:  # this terminal shows what the others did before its person acts
            await settle(term.pilot)
        advance(desk.app.clock, minutes=minutes_per_step)
        refusal = await tick(term, step.key)
        assert refusal is None, f"{step.key}: {refusal}"
        ticked[step.key] = term.login
        if isinstance(term.screen, PickScreen):  # which help: the branch is chosen next
            await choose_branch(term, wanted.pop(0))
        last = term


async def close(term: Terminal, outcome: str = ANSWER) -> str | None:
    """`c`, outcome 1 (resolved), the outcome typed, enter. Returns the refusal shown, if any."""
    await press_and_settle(term, "c")
    assert isinstance(term.screen, CloseScreen)
    await term.pilot.press("1", *outcome)
    await press_and_settle(term, "enter")
    if isinstance(term.screen, CloseScreen):
        error = str(term.screen.query_one(".dialog-error").render())
        await press_and_settle(term, "escape")
        return error
    return None


async def add_charge(term: Terminal, code: str, qty: str) -> str | None:
    """`p`, arrows to the item, enter, the quantity typed over the offered 1, enter. Returns the
    refusal shown on the quantity, if any (the dialog is then left open)."""
    from textual.widgets import DataTable

    from liyuan_tui.screens.dialogs import ChargeScreen

    await press_and_settle(term, "p")
    assert isinstance(term.screen, ChargeScreen), term.screen
    table = term.screen.query_one("#fee-items", DataTable)
    codes = [row.key.value for row in table.ordered_rows]
    for _ in range(codes.index(code)):
        await term.pilot.press("down")
    await term.pilot.press("enter", *qty)
    await press_and_settle(term, "enter")
    if isinstance(term.screen, ChargeScreen):
        return str(term.screen.query_one(".dialog-error").render())
    return None


def shown_text(widget, width: int = 100) -> str:
    """What a Static shows, as plain text."""
    from rich.console import Console

    with open(os.devnull, "w") as nowhere:
        console = Console(width=width, record=True, file=nowhere)
        console.print(widget.content)
        return console.export_text()
