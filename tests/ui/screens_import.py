"""The pages and dialogs the tests look for, in one import."""

from liyuan_tui.screens.dialogs import (
    AskScreen,
    CloseScreen,
    ConfirmScreen,
    HelpScreen,
    PickScreen,
    ReplyScreen,
    SearchScreen,
)
from liyuan_tui.screens.pages.intake import IntakeScreen
from liyuan_tui.screens.pages.queue import QueueScreen
from liyuan_tui.screens.pages.reception import ReceptionScreen
from liyuan_tui.screens.pages.request import RequestScreen

__all__ = [
    "AskScreen",
    "CloseScreen",
    "ConfirmScreen",
    "HelpScreen",
    "IntakeScreen",
    "PickScreen",
    "QueueScreen",
    "ReceptionScreen",
    "ReplyScreen",
    "RequestScreen",
    "SearchScreen",
]
