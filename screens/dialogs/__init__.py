"""The desk's modal dialogs, one module each: they ask, confirm, pick, search, write a form, export,
take a reply to the caller. A dialog never opens a page (pyproject's import contracts: pages >
parts > dialogs)."""

from .ask import AskScreen
from .charge import ChargeScreen
from .close import CloseScreen
from .confirm import ConfirmScreen
from .dialog import Dialog
from .export import ExportScreen
from .followup import FollowUpScreen
from .form import FormField, FormScreen
from .help import HelpScreen
from .household_edit import HouseholdEditScreen
from .pick import PersonPickScreen, PickScreen, on_site_people
from .reply import ReplyScreen
from .search import SearchScreen
from .text import TextScreen

__all__ = [
    "AskScreen",
    "ChargeScreen",
    "CloseScreen",
    "ConfirmScreen",
    "Dialog",
    "ExportScreen",
    "FollowUpScreen",
    "FormField",
    "FormScreen",
    "HelpScreen",
    "HouseholdEditScreen",
    "PersonPickScreen",
    "PickScreen",
    "ReplyScreen",
    "SearchScreen",
    "TextScreen",
    "on_site_people",
]
