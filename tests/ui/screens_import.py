"""The screens and widgets the tests look for, in one import."""

from liyuan_tui.screens.dialogs import AskScreen, CloseScreen, ConfirmScreen, PickScreen, SearchScreen  # noqa: F401
from liyuan_tui.screens.help import HelpScreen  # noqa: F401
from liyuan_tui.screens.intake import IntakeScreen  # noqa: F401
from liyuan_tui.screens.queue import QueueScreen  # noqa: F401
from liyuan_tui.screens.request import RequestScreen  # noqa: F401
