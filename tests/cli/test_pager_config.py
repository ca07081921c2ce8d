"""The pager's config and health: `liyuan pager check` names each problem on a line of its own
(never a URL's secret part); `pager run` refuses in one line a config it cannot read; a dead sender
fails `liyuan check` (a desk that never ran one is not failed for it, but warned of pages waiting)."""

from __future__ import annotations

import os

import pytest
from cli_runner import run_liyuan

from liyuan_tui.store import Store


def liyuan(env, clock, *args, user="sup"):
    return run_liyuan(dict(env, LIYUAN_USER=user), *args, clock=clock)


def problems(done) -> list[str]:
    return [line for line in done.stdout.splitlines() if line.startswith("✗")]


def test_a_good_config_passes(staff, cli_env, clock, web, pager_config):
    pager_config({"sup": [web.url("sup")], "mgr": [web.url("mgr"), "mailto://u:p@smtp.example.com?to=m@x"]})
    done = liyuan(cli_env, clock, "pager", "check")
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith("✓")


def test_each_problem_is_one_line_and_no_secret_is_shown(staff, cli_env, clock, web, pager_config):
    staff["cs_supervisor"].staff.add_staff("zhou", "周敏", "cs_supervisor")
    staff["cs_supervisor"].roster.add("lead", "duty_security_lead", "2026-11-27T18:00", "2026-11-28T08:00")
    path = pager_config(
        {
            "sup": [web.url("sup"), "nosuchscheme://SECRETTOKEN123@host"],
            "ghost": [web.url("ghost")],
            "Bad Login": [web.url("x")],
            "mgr": "just-a-string-SECRET",
        },
        extra="[limits]\nack_minutes = 0\nfoo = 1\n[quiet]\nx = 1\n",
    )
    path.chmod(0o644)
    done = liyuan(cli_env, clock, "pager", "check")
    assert done.returncode == 1
    found = problems(done)
    joined = "\n".join(found)
    assert "SECRET" not in done.stdout + done.stderr and "SECRET" not in joined
    for expected in (
        "readable by everyone",
        "[quiet]",
        "[limits] ack_minutes",
        "unknown setting foo",
        "'Bad Login' is not a login",
        "sup's URL 2 (nosuchscheme://…)",
        "mgr's URL 1",  # a plain string is taken as a list of one: not a URL
        "ghost is not on the staff list",
        "zhou",  # a supervisor (paged when the roster names nobody) without a contact
        "lead",  # on the roster, no contact
    ):
        assert sum(expected in line for line in found) == 1, (expected, found)
    assert len(found) == 10


def test_a_config_nobody_may_read_or_that_is_not_there(staff, cli_env, clock, pager_config):
    missing = liyuan(cli_env, clock, "pager", "check")
    assert missing.returncode == 1 and len(problems(missing)) == 1 and "not there" in missing.stdout
    run = run_liyuan(cli_env, "pager", "run", "--once", clock=clock)
    assert run.returncode == 2 and len(run.stderr.splitlines()) == 1 and "not there" in run.stderr
    path = pager_config({"sup": ["json://127.0.0.1:9/x"]})
    path.write_text("[contacts\nsup = 1")
    broken = liyuan(cli_env, clock, "pager", "check")
    assert broken.returncode == 1 and len(problems(broken)) == 1 and "not TOML" in broken.stdout


@pytest.fixture
def sender(staff, clock):
    holder = staff["cs_supervisor"]
    store = Store(holder.url, clock, "pager", procedures=holder.procedures, tz="Asia/Shanghai", service=True)
    yield store
    store.close()


def test_a_dead_sender_fails_liyuan_check(staff, cli_env, clock, sender):
    quiet = liyuan(cli_env, clock, "check")
    assert "no pager set up" in quiet.stdout and "pager is down" not in quiet.stdout  # a desk without one
    assert sender.pager.sending.take_lease("otherhost:1:abc") is None
    alive = liyuan(cli_env, clock, "check")
    assert "the pager is running" in alive.stdout
    clock.advance(minutes=2, seconds=1)
    dead = liyuan(cli_env, clock, "check")
    assert dead.returncode == 1
    assert [line for line in problems(dead) if "pager is down" in line and "22:00:00" in line]


def test_pages_waiting_on_a_desk_that_never_ran_a_pager_are_warned_of(staff, cli_env, clock):
    """A desk with no pager set up is not failed for it (nor shown red), but pages waiting for
    one are said."""
    staff["assistant"].intake.create_request(category="A", unit="1", phone="139", complete=True, major=True)
    fresh = liyuan(cli_env, clock, "check")
    assert fresh.returncode == 0 and "no pager has ever run" not in fresh.stdout  # a sender has two minutes
    clock.advance(minutes=3)
    late = liyuan(cli_env, clock, "check")
    assert late.returncode == 0 and "! 2 pages are waiting and no pager has ever run" in late.stdout


def test_the_pagers_config_path_comes_from_the_environment(staff, cli_env, clock, tmp_path):
    other = tmp_path / "elsewhere.toml"
    done = liyuan(dict(cli_env, LIYUAN_PAGER_CONFIG=str(other)), clock, "pager", "check")
    assert str(other) in done.stdout
    assert os.environ["LIYUAN_PAGER_CONFIG"] != str(other)
