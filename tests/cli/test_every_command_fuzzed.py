"""Every subcommand driven with generated arguments — text, bytes that are not UTF-8, dates,
numbers, paths, the hostile corpus — in-process (cli_runner), as a script or a phone system might
call it: never a traceback, exit 0 or 2 (`check` also 1: it found a problem), one line on a
refusal, no raw control character printed, and nothing written on exit 2 (not the database, not
a file beside it).

The subcommands and their arguments are read from the parser itself, so a command added later is
fuzzed too; only the two that open the full-screen desk (`liyuan`, `liyuan demo`) are left out."""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from cli_runner import run_liyuan
from db_templates import START
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liyuan_tui.cli.main import build_parser
from liyuan_tui.domain.clock import FakeClock
from liyuan_tui.store import Store

INTERACTIVE = {("demo",)}
EXAMPLES = 12  # per subcommand: ~31 subcommands, a few hundred runs in all
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
HOSTILE = [
    "[/bold]",
    "[@click=app.quit]x[/]",
    "\x1b]0;title\x07",
    "\x1b[2J",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1",
    "@x",
    "\tx",
    "a\rb",
    "\x9b31m",
    "\u202e",
    "\udcff",
    "长" * 300,
    "x" * 5000,
    "",
    " ",
    "-",
    "--",
    "'",
    '"',
    "%",
    "_",
    "\\",
]
DATES = [
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2026-11-27 21:50",
    "2026-11-27T13:50:00+00:00",
    "1999-12-31",
    "2026-02-30 10:00",
    "2026-11",
    "9999-12",
    "0000-01",
    "1900-01",
    "24:00",
    "18:00",
    "23:59",
    "-1:00",
]
NUMBERS = [
    "1",
    "1.5",
    "0",
    "-1",
    "1e-300",
    "1e309",
    "nan",
    "inf",
    "0.01",
    "10000",
    "10000.01",
    "1_0",
    "0x10",
    "１",
]


def leaf_commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(path, parser) of every subcommand that runs something."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
        return
    for name, sub in subs[0].choices.items():
        yield from leaf_commands(sub, path + (name,))


COMMANDS = [(path, p) for path, p in leaf_commands(build_parser()) if path and path not in INTERACTIVE]
COMMON = {"--db", "--lang", "--tz", "--procedures", "--fees", "--user"}


@pytest.fixture(scope="module")
def filled(tmp_path_factory, db_templates, procedures) -> tuple[Path, list[str]]:
    """The sandbox's database, written once for the file's tests (as the staff fixtures and a night
    at the desk would) and copied for each: requests, a receipt, a follow-up call owed, a household."""
    from backoffice_helpers import close_repair, log_repair

    file = tmp_path_factory.mktemp("fuzz-db") / "desk.db"
    url = f"sqlite:///{file}"
    clock = FakeClock(START)
    assert db_templates.place("staffed", url, clock)
    desk = Store(url, clock, "ann", procedures=procedures, tz="Asia/Shanghai")
    try:
        refs = [
            desk.intake.create_request(category=c, unit="3-1201", phone="13800000000", complete=True).ref
            for c in ("A", "B", "D")
        ]
        desk.lifecycle.mark_replied(refs[1])
        desk.charges.add_charge(refs[1], "drain")  # its receipt: S202611-0001
        refs.append(close_repair(desk, log_repair(desk, unit="3-1201").ref).ref)  # a follow-up call owed
        desk.households.edit("3-1201", person="张阿姨", relation="户主", phones="13911111202")
    finally:
        desk.close()  # (the last connection folds the journal into the file)
    return file, refs


@pytest.fixture
def sandbox(filled, cli_env, db_path, tmp_path, monkeypatch):
    """The test database with requests on it (a copy of `filled`), run from a folder of its own
    (relative paths land there); a few files worth naming: a logbook, a folder, a dangling link."""
    file, refs = filled
    shutil.copyfile(file, db_path)
    os.chmod(db_path, 0o660)  # as the store makes it
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    (cwd / "folder").mkdir()
    (cwd / "logbook.csv").write_text(
        "category,received_at,unit\nB,2026-11-01 10:00,1-101\nB,0001-01-01 00:00,\x1b[2J\n", encoding="utf-8"
    )
    (cwd / "dangling").symlink_to(cwd / "nowhere")
    monkeypatch.chdir(cwd)
    watch = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    yield {"env": cli_env, "db": db_path, "cwd": cwd, "refs": list(refs), "tmp": tmp_path, "watch": watch}
    watch.close()


def values(box, dest: str) -> st.SearchStrategy[str]:
    """Values for one argument: anything at all, and the kinds that reach deep (a real ref, a
    login on the list, a date, a number, a path)."""
    # What argv can carry: no NUL, and bytes that are not UTF-8 only as Python decodes them (below).
    text = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=40)
    not_utf8 = st.binary(max_size=12).map(lambda b: b.decode("utf-8", "surrogateescape").replace("\x00", ""))
    paths = st.sampled_from(
        [
            "out.md",
            "folder",
            "folder/x.db",
            "missing/x.md",
            "dangling",
            "/dev/full",
            "logbook.csv",
            str(box["db"]),
            str(box["tmp"] / "new.db"),
            "",
            "\udcff.csv",
            "x" * 300,
            str(box["cwd"] / "site"),
        ]
    )
    pools = {
        "ref": st.sampled_from(box["refs"] + ["202611-9999", "2026-1"]),
        "login": st.sampled_from(["ann", "gd", "mgr", "lead", "eng", "nobody", "root", "new.one", "sup_"]),
        "user": st.sampled_from(["sup", "ann", "gd", "stranger"]),
        "role": st.sampled_from(["assistant", "guard", "cs_supervisor", "boss"]),
        "category": st.sampled_from(["A", "B", "medical", "Z", "急救病人求助"]),
        "step": st.sampled_from(["patient_address", "fault", "record", "nope"]),
        "branch": st.sampled_from(["ambulance", "hospital", "care", "nope"]),
        "item": st.sampled_from(["drain", "toilet", "nope"]),
        "lang": st.sampled_from(["zh", "en", "fr"]),
        "tz": st.sampled_from(["Asia/Shanghai", "UTC", "Mars/Base", "x" * 300, "../../etc/passwd"]),
        "group": st.sampled_from(["users", "root", "no-such-group"]),
        "supervisor": st.sampled_from(["nobody", "root", "no-such-login"]),
        "phone": st.sampled_from(["13800000000", "12ab", "+86 138-0000-0000"]),
        "channel": st.sampled_from(["phone", "walk-in", "fax"]),
        "kind": st.sampled_from(["resolved", "handed_on", "other", "nope", "reward", "penalty", "ethics"]),
        "to": st.sampled_from(["cs_supervisor", "sup", "mgr", "ann", "ghost"]),
        "format": st.sampled_from(["md", "csv", "json", "xls"]),
        # the back office (issue 14): follow-up calls, the household file, training and assessments
        "target": st.sampled_from(["due", *box["refs"], "202611-9999"]),
        "reached": st.sampled_from(["yes", "no", "是", "maybe"]),
        "solved": st.sampled_from(["yes", "no", "否", ""]),
        "score": st.sampled_from(["1", "5", "0", "6", "80", "100", "101"]),
        "date": st.sampled_from(["2026-11-01", "2026-02-30", "0001-01-01", "2026-11"]),
        "month": st.sampled_from(["2026-11", "2026-13", "9999-12", "0000-01"]),
        "unit": st.sampled_from(["3-1201", "1-101", "[/bold]"]),
        "person": st.sampled_from(["张阿姨", "张三"]),
        "remove_person": st.sampled_from(["张阿姨", "nobody"]),
        "elderly_alone": st.sampled_from(["yes", "no"]),
        "disability": st.sampled_from(["yes", "no"]),
        "fault_kind": st.sampled_from(["water", "electric", "nope"]),
        # the desk's own records (issue 22): receipts, answers, recommendations
        "receipt": st.sampled_from(["S202611-0001", "s202611-0001", "S209901-0001", "S1"]),
        "method": st.sampled_from(["cash", "wechat", "fee_bill", "cheque"]),
        "for_what": st.sampled_from(["promotion", "transfer", "raise"]),
        "answer": st.sampled_from(["fee-first", "renovation", "nope"]),
        "words": st.sampled_from(["装修", "fee", "[/bold]"]),
    }
    specific = pools.get(dest)
    kinds = [text, not_utf8, st.sampled_from(HOSTILE), st.sampled_from(DATES), st.sampled_from(NUMBERS)]
    if dest in ("file", "output", "db", "procedures", "fees", "dir"):
        kinds = [paths] * 4 + kinds
    if specific is not None:
        kinds = [specific] * 4 + kinds
    return st.one_of(*kinds)


def argv_for(path, parser, box) -> st.SearchStrategy[list[str]]:
    """A command line for this subcommand: each positional, each option maybe, in `--flag=value`
    form (so a value starting with `-` reaches the command rather than argparse)."""
    parts = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.dest in ("handler",):
            continue
        if not action.option_strings:
            parts.append(values(box, action.dest).map(lambda v: [v]))
            continue
        flag = max(action.option_strings, key=len)
        if flag in COMMON and flag != "--user" and flag != "--lang":
            odds = st.sampled_from([False] * 5 + [True])  # usually the test database, sometimes not
        else:
            odds = st.booleans() if not action.required else st.just(True)
        if isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction)):
            parts.append(odds.map(lambda on, f=flag: [f] if on else []))
        else:
            parts.append(
                st.tuples(odds, values(box, action.dest.lstrip("-"))).map(
                    lambda pair, f=flag: [f"{f}={pair[1]}"] if pair[0] else []
                )
            )
    return st.tuples(*parts).map(lambda chunks: [*path, *(x for chunk in chunks for x in chunk)])


def state(box) -> tuple[int, str]:
    """Everything a command could have written: the database's version as one connection held open
    all along sees it (SQLite's data_version changes whenever another connection commits a change),
    and the files around it."""
    (version,) = box["watch"].execute("PRAGMA data_version").fetchone()
    digest = hashlib.sha256()
    for root in (box["cwd"], box["tmp"]):
        for p in sorted(root.rglob("*"), key=str):
            if p.name.startswith(box["db"].name) or "hypothesis" in str(p):
                continue
            digest.update(os.fsencode(p))
            if p.is_file() and not p.is_symlink():
                digest.update(str(p.stat().st_size).encode())
    return version, digest.hexdigest()


@pytest.mark.parametrize("path,parser", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_with_generated_arguments_refuses_in_one_line_and_writes_nothing(sandbox, path, parser):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(argv=argv_for(path, parser, sandbox))
    def run(argv: list[str]) -> None:
        before = state(sandbox)
        done = run_liyuan(dict(sandbox["env"], LIYUAN_USER="sup"), *argv)  # an exception here fails the test
        finds_problems = (("check",), ("backup",), ("pager", "check"), ("pager", "test"))
        allowed = (0, 1, 2) if path in finds_problems else (0, 2)
        assert done.returncode in allowed, (argv, done.returncode, done.stderr)
        assert "Traceback" not in done.stderr, (argv, done.stderr)
        assert not RAW_CONTROL.findall(done.stdout.replace("\r\n", "\n") + done.stderr), argv
        if done.returncode == 2:
            lines = done.stderr.strip().splitlines()
            assert lines and (len(lines) == 1 or "import" in path), (argv, done.stderr)
            assert state(sandbox) == before, (argv, "wrote something and then refused")

    run()
