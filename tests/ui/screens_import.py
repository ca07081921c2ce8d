"""The pages and dialogs the tests look for, in one import."""

from liyuan_tui.screens.dialogs import (
    AskScreen,
    CloseScreen,
    ConfirmScreen,
    HelpScreen,
    PickScreen,
    SearchScreen,
)  # noqa: F401
from liyuan_tui.screens.pages.intake import IntakeScreen  # noqa: F401
from liyuan_tui.screens.pages.queue import QueueScreen  # noqa: F401
from liyuan_tui.screens.pages.request import RequestScreen  # noqa: F401
