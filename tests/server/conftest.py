"""Fixtures of the server suite: a site with every desk role's OS login (tests/pg_site.py), and
the desk installed for every login."""

from __future__ import annotations

import os

import pg
import pytest
from os_logins import open_folder, shared_install, throwaway_logins
from pg_site import SHORT, drop_roles, make_site

from liyuan_tui.domain.models import ROLES


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The server suite runs in one worker, one test at a time: its sites share the cluster's roles
    (liyuan_owner, the desk groups), which a tampering test changes and `site repair` puts back, so
    two sites at once would see each other's tampering; and a module's tests share its site.

    First of the hooks: xdist's worker reads the group into each test's id in this same hook, and
    when this conftest is loaded early (a server file named on the command line) it would
    otherwise read it before the mark is here, and the suite is spread over the workers."""
    here = __file__.rsplit("/", 1)[0]
    for item in items:
        if str(item.path).startswith(here + "/"):
            item.add_marker(pytest.mark.xdist_group("server"))


@pytest.fixture(autouse=True)
def _in_the_server_group(request: pytest.FixtureRequest) -> None:
    """Under `--dist loadgroup` every server test is in the group, or it fails saying so (not a
    flaky test later, two sites at once)."""
    if os.environ.get("PYTEST_XDIST_WORKER") and request.config.getvalue("loadgroup"):
        assert request.node.nodeid.endswith("@server"), f"{request.node.nodeid} is not in the server group"


@pytest.fixture(scope="module")
def site():
    """Every desk role's login on a site made by `site init`; the staff added by the supervisor's
    authority (root acting for them); the pager's sender's login in `liyuan_pager`, made by the
    administrator as the README says; torn down with its database and its login roles."""
    with throwaway_logins(*SHORT.values()) as made, open_folder("liyuan-server-") as home:
        s = make_site(home)
        s.logins = dict(zip(SHORT, made, strict=True))
        try:
            sup = s.login("cs_supervisor")
            done = s.liyuan_admin("site", "init", "--supervisor", sup, "--name", "Sup")
            assert done.returncode == 0, done.stderr
            for role in ROLES:
                if role != "cs_supervisor":
                    added = s.liyuan_admin(
                        "staff", "add", s.login(role), "--name", role, "--role", role, LIYUAN_USER=sup
                    )
                    assert added.returncode == 0, added.stderr
            s.admin_sql(f'CREATE ROLE "{s.login("pager")}" LOGIN IN ROLE liyuan_pager')
            yield s
        finally:
            pg.drop_database(s.db)
            drop_roles(s.logins.values())


@pytest.fixture(scope="session")
def installed():
    """The desk installed for every login (Debian's python3 and the project's wheel)."""
    pg.need_cluster()
    with open_folder("liyuan-desk-") as folder:
        yield shared_install(folder)
