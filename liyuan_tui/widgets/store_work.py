"""Store calls from a widget, off the event loop.

`store_work(node, call, done)` runs `call()` (a store call, or a read built on one) as a thread
worker owned by `node`: when that widget or screen goes, Textual cancels the worker, and a late
result is never delivered to a node that is no longer there (nor a superseded read's). Success
comes back to the node as the typed message `done(result)`; a refusal as `StoreRefused` (the store
says every database error as a `DeskError`, store/faults.py). Handlers take them with `@on(...)`.

What the call wrote goes to the app as `Written` (its events and rows, as committed: the store's
recording), whatever became of the node, and the app tells every screen once: the screen that
asked needs no read after its own write, and the poller does not bring the write back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker, get_current_worker

from liyuan_tui.domain.errors import DeskError
from liyuan_tui.domain.fees import FeeScheduleError

from .messages import StoreRefused, Written

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp

T = TypeVar("T")
log = logging.getLogger(__name__)


def refusal(exc: Exception, action: str) -> DeskError:
    """What the desk says of a failed store call, in its own words (never a traceback)."""
    if isinstance(exc, DeskError):
        return exc
    if isinstance(exc, FeeScheduleError):  # a site's broken fee file: said, not a crash
        return DeskError("ui.charge.schedule_error", reason=str(exc))
    log.exception("store call %s failed", action, exc_info=exc)  # a fault of the desk's own: logged
    return DeskError("error.unexpected", reason=f"{type(exc).__name__}: {exc}")


def store_work(
    node: DOMNode,
    call: Callable[[], T],
    done: Callable[[T], Message],
    *,
    action: str = "",
    exclusive: bool = False,
    group: str = "db",
) -> Worker[None]:
    app: LiyuanApp = node.app  # type: ignore[assignment]

    def work() -> None:
        outcome: Message
        with app.store.recording() as written:
            try:
                outcome = done(call())
            except Exception as exc:
                outcome = StoreRefused(refusal(exc, action), action)
        if written.events:  # (a call refused after a commit of its own still says what it wrote)
            app.post_message(Written(written.events, written.rows))
        if not get_current_worker().is_cancelled:
            node.post_message(outcome)

    return node.run_worker(
        work, thread=True, group=group, exclusive=exclusive, exit_on_error=False, name=action or "store"
    )
