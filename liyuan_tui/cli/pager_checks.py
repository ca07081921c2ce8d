"""`liyuan pager check`: what is wrong with the pager's config, one line per problem — the file
(missing, not TOML, readable by others), its tables and limits, each contact URL (one Apprise does
not understand is named by its login, its place and its scheme, never shown whole), and against
the staff list: contacts for logins it does not know, and people a page may reach (on the roster,
or every supervisor and the manager when it names nobody) with no contact at all."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context import Context


def config_problems(ctx: Context, path: Path) -> list[str]:
    from liyuan_tui.domain.errors import DeskError
    from liyuan_tui.domain.pager_config import read_pager_config, scheme

    from .pager import service_store
    from .pager_channels import understood

    t = ctx.t
    config = read_pager_config(path)
    out = [t(p.key, **p.params) for p in config.problems]
    if not config.readable:
        return out
    for login, urls in config.contacts.items():
        for n, url in enumerate(urls, 1):
            if not understood(url):
                out.append(t("pager.config.url_unknown", login=login, n=n, scheme=scheme(url)))
    try:
        staff, reachable = service_store(ctx).pager.who_may_be_paged()
    except DeskError as exc:
        return out + [exc.message(t)]
    for login in config.contacts:
        person = staff.get(login)
        if person is None:
            out.append(t("pager.config.not_staff", login=login))
        elif not person.active:
            out.append(t("pager.config.inactive", login=login))
    for login in sorted(reachable - set(config.contacts)):
        person = staff[login]
        out.append(t("pager.config.no_contact", login=login, name=person.name, role=t(f"role.{person.role}")))
    return out
