"""Store calls from a screen, off the event loop.

`store_work(screen, call, done)` runs `call()` (a store call, or a read built on one) as a thread
worker owned by `screen`: when that screen goes, Textual cancels the worker, and a late result is
never delivered to a screen that is no longer there. Success comes back to the screen as the typed
message `done(result)`; a refusal as `StoreRefused` (the store says every database error as a
`DeskError`, store/faults.py). Handlers take them with `@on(...)`.
"""

from __future__ import annotations

import logging
from typing import Callable, TypeVar

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker

from liyuan_tui.domain.errors import DeskError
from liyuan_tui.domain.fees import FeeScheduleError

from .messages import StoreRefused

T = TypeVar("T")
log = logging.getLogger(__name__)


def store_work(
    node: DOMNode,
    call: Callable[[], T],
    done: Callable[[T], Message],
    *,
    action: str = "",
    exclusive: bool = False,
    group: str = "db",
) -> Worker[None]:
    def work() -> None:
        try:
            result = call()
        except DeskError as exc:
            node.post_message(StoreRefused(exc, action))
            return
        except FeeScheduleError as exc:  # a site's broken fee file: said, not a crash
            node.post_message(StoreRefused(DeskError("ui.charge.schedule_error", reason=str(exc)), action))
            return
        except Exception as exc:  # a fault of the desk's own: said (and logged), never a silent wait
            log.exception("store call %s failed", action)
            node.post_message(
                StoreRefused(DeskError("error.unexpected", reason=f"{type(exc).__name__}: {exc}"), action)
            )
            return
        node.post_message(done(result))

    return node.run_worker(
        work, thread=True, group=group, exclusive=exclusive, exit_on_error=False, name=action or "store"
    )
