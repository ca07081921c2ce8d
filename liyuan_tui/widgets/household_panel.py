"""What the intake form shows as soon as the unit is known: the household's flags (an elderly
person living alone, a disability, a language) loud, the people on file, the unit's last requests,
and — for a repair — the earlier one it repeats (二次维修). The panel looks the household up
itself (`look_up`, in its own worker) when the unit, or the repair it repeats, changes."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.widgets import Static

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.models import Request, Staff
from liyuan_tui.domain.permissions import can_see
from liyuan_tui.domain.procedures import Procedures
from liyuan_tui.domain.safe_text import visible
from liyuan_tui.reports.household import flag_words
from liyuan_tui.store import HouseholdGlance

from .messages import HouseholdGlanced
from .queue_table import short_category
from .store_work import store_work

if TYPE_CHECKING:
    from liyuan_tui.app import LiyuanApp


class HouseholdPanel(Static):
    DEFAULT_CSS = """
    HouseholdPanel { height: auto; padding: 0 1; margin-top: 1; border-left: thick $primary; }
    HouseholdPanel.-flagged { border-left: thick $error; }
    """

    app: LiyuanApp

    def __init__(self, ref: str, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.ref = ref  # the request being logged (not one of the unit's last requests)
        self.glance: HouseholdGlance | None = None
        self.looked: tuple[str, str | None] | None = None  # (unit, repeat_of) last looked up
        self.display = False

    def look_up(self, req: Request) -> None:
        """Look the unit's household up when the unit, or the repair it repeats, changed."""
        key = (req.unit, req.repeat_of)
        if not req.unit:
            self.looked = key
            self.display = False
            return
        if key == self.looked:
            return
        self.looked = key
        households, ref = self.app.store.households, self.ref
        unit, repeat_of = key
        glance = lambda: households.glance(unit, exclude_ref=ref, repeat_of=repeat_of)  # noqa: E731
        store_work(self, glance, HouseholdGlanced, action="glance")

    @on(HouseholdGlanced)
    def _glanced(self, msg: HouseholdGlanced) -> None:
        if self.looked is None or msg.glance.unit != self.looked[0]:
            return  # the unit changed again meanwhile
        app = self.app
        self.show_glance(msg.glance, t=app.t, tz=app.tz, procedures=app.procedures, viewer=app.me)

    def show_glance(
        self,
        glance: HouseholdGlance | None,
        *,
        t: Translator,
        tz: tzinfo,
        procedures: Procedures,
        viewer: Staff,
    ) -> None:
        self.glance = glance
        text = Text()
        if glance is not None and not (glance.flags or glance.people or glance.last or glance.earlier):
            glance = None  # a unit the desk knows nothing of: nothing to show
        if glance is not None:
            words = flag_words(glance, t)
            if words:
                text.append("⚠ " + visible("  ·  ".join(words), newlines=False), style="bold red")
            else:
                text.append(t("ui.household.no_flags"), style="dim")
            text.append("   " + t("ui.household.people_on_file", count=glance.people), style="dim")
            for req in glance.last:
                what = req.description if can_see(viewer, req) else "***"
                line = (
                    f"\n{req.ref}  {req.received_at.astimezone(tz):%m-%d %H:%M}  "
                    f"{short_category(req.category, procedures, t) if req.category else '-'}  "
                    f"{t('status.' + req.status)}  "
                )
                text.append(line, style="dim")
                text.append(visible(what[:30], newlines=False))  # text from people: never raw controls
            if not glance.last:
                text.append("\n" + t("ui.household.no_requests"), style="dim")
        earlier = glance.earlier if glance is not None else None
        if earlier is not None:
            if earlier.status == "closed" and earlier.closed_at is not None:
                closed = f"{earlier.closed_at.astimezone(tz):%Y-%m-%d %H:%M}"
                text.append("\n↺ " + t("followup.repeat", ref=earlier.ref, at=closed), style="bold yellow")
            else:  # the same fault, still open (or reopened)
                text.append("\n↺ " + t("followup.same_fault_open", ref=earlier.ref), style="bold yellow")
            if can_see(viewer, earlier) and earlier.description:
                text.append("  " + visible(earlier.description[:40], newlines=False), style="yellow")
        self.update(text)
        self.set_class(bool(glance is not None and glance.flags), "-flagged")
        self.display = bool(text)
