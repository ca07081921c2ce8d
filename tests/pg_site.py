"""A PostgreSQL site as `site init` makes it on the throwaway cluster (tests/pg.py), a throwaway
OS login for every desk role (peer authentication maps each to its database role), and `psql`
run as any of them (tests/server/)."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pg
from cli_runner import run_liyuan

SHORT = {
    "assistant": "ann",
    "cs_supervisor": "sup",
    "manager": "mgr",
    "security_lead": "lead",
    "guard": "gd",
    "dept_staff": "eng",
    "technician": "tech",
    "pager": "pgr",  # the pager's sender: a login of its own in liyuan_pager, not on the staff list
}


@dataclass
class Site:
    db: str
    url: str  # postgresql:///db?host=… (each login connects as itself)
    env: dict[str, str]  # a login's environment for the installed desk
    logins: dict[str, str]  # role → the OS login of that role
    home: Path

    @property
    def admin_env(self) -> dict[str, str]:
        """root's: the URL names the superuser, as the README says for an administrator."""
        return dict(self.env, LIYUAN_DB=self.url + "&user=postgres")

    def login(self, role: str) -> str:
        return self.logins[role]

    def psql(self, login: str, sql: str, *, stop: bool = True) -> subprocess.CompletedProcess:
        """`psql` as the OS login `login` (peer authentication), the SQL on its standard input."""
        command = [shutil.which("psql") or "psql", "-X", "-q", "-A", "-t", "-h", pg.SOCKET, "-d", self.db]
        if stop:
            command += ["-v", "ON_ERROR_STOP=1"]
        return subprocess.run(
            ["runuser", "-u", login, "--", *command],
            input=sql,
            capture_output=True,
            text=True,
            timeout=300,
            cwd="/",
            check=False,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.home)},
        )

    def admin_sql(self, sql: str):
        """As the cluster's administrator (the superuser)."""
        import psycopg

        with psycopg.connect(dbname=self.db, user=pg.ADMIN, host=pg.SOCKET, autocommit=True) as conn:
            cur = conn.execute(sql)
            return cur.fetchall() if cur.description else None

    def liyuan_admin(self, *args: str, **env: str):
        return run_liyuan(dict(self.admin_env, **env), *args)


def make_site(home: Path) -> Site:
    pg.need_cluster()
    name = pg.create_database()
    url = f"postgresql:///{name}?host={pg.SOCKET}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LIYUAN_DB": url,
        "LIYUAN_LANG": "en",
        "LIYUAN_CONFIG": str(home / "etc-liyuan.toml"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "HOME": str(home),
    }
    return Site(name, url, env, {}, home)


def drop_roles(logins) -> None:
    """The login roles a test made (roles are the cluster's: dropping a database leaves them)."""
    with pg.admin_connection() as conn:
        for login in logins:
            conn.execute(f'DROP ROLE IF EXISTS "{login}"')
