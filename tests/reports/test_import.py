"""`liyuan import` and `liyuan residents import`: real subprocesses, as from an Excel export."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from liyuan_tui.domain.models import Event, Request, Resident

from .conftest import liyuan

SHANGHAI = ZoneInfo("Asia/Shanghai")
BOM = "\ufeff"

GOOD = """category,received_at,replied_at,closed_at,unit,phone,name,channel,description,outcome,handled_by,escalated,major,handed_to
A,2026-10-03 21:15,2026-10-03 21:20,2026-10-03 23:00,3-301,138 0000 1111,王先生,phone,老人胸闷,已送医院,ANN,no,yes,
repair,2026-10-04T08:00:00+08:00,,,5-502,,李女士,walk-in,水管漏水,,,,,
报修求助,2026/10/5 9:05,2026/10/5 9:30,,6-601,13900001111,,电话,"灯坏了
两盏",,ann,是,否,
G,2026-09-30 23:59,2026-10-01 00:05,2026-10-01 01:00,7-701,,,intercom,借梯子,转交工程部,former_staff,,,工程部
"""

BAD = """category,received_at,replied_at,unit,phone,description
X,2026-10-03 21:15,,3-301,,坏类别
repair,2026-10-03 21:15,2026-10-03 21:00,3-302,,回复早于接报
repair,2026-10-03 22:00,,3-303,,"两行
的内容"
repair,2026-10-03 22:30,,3-304,abc,坏电话
repair,2026-10-03 23:00,,3-305,,好的一行
repair,2099-01-01 00:00,,3-306,,未来
"""


def counts(engine) -> tuple[int, int]:
    with Session(engine) as s:
        return (
            s.exec(select(func.count()).select_from(Request)).one(),
            s.exec(select(func.count()).select_from(Event)).one(),
        )


def test_history_import_keeps_times_and_statuses(cli_env, staff, tmp_path):
    engine = staff["cs_supervisor"].engine
    path = tmp_path / "logbook.csv"
    path.write_text(BOM + GOOD, encoding="utf-8")
    _, events_before = counts(engine)
    done = liyuan(cli_env, "import", str(path))
    assert done.returncode == 0, done.stderr.decode()
    assert "imported 4" in done.stdout.decode()
    with Session(engine) as s:
        reqs = {r.unit: r for r in s.exec(select(Request))}
        imported = [json.loads(e.payload) for e in s.exec(select(Event).where(Event.kind == "imported"))]
    assert len(imported) == 1 and imported[0]["imported"] == 4 and imported[0]["file"] == "logbook.csv"
    assert counts(engine)[1] == events_before + 1  # one event for the whole import
    medical = reqs["3-301"]
    assert medical.category == "medical" and medical.major and medical.status == "closed"
    assert medical.received_at == datetime(2026, 10, 3, 21, 15, tzinfo=SHANGHAI)
    assert medical.replied_by == medical.closed_by == medical.created_by == "ann"  # "ANN" is ann's name
    assert medical.phone == "13800001111" and medical.outcome == "已送医院"
    assert medical.outcome_kind == "resolved"
    assert reqs["5-502"].status == "open" and reqs["5-502"].channel == "walk-in"
    lights = reqs["6-601"]
    assert lights.status == "replied" and lights.escalated_at is not None and not lights.major
    assert lights.description == "灯坏了\n两盏" and lights.channel == "phone"
    ladder = reqs["7-701"]
    assert ladder.ref == "202609-0001"  # the local month of receipt, not UTC's
    assert (
        ladder.handed_to == "工程部"
        and ladder.outcome_kind == "handed_on"
        and ladder.closed_by == "former_staff"
    )
    assert sorted(r.ref for r in reqs.values() if r.ref_month == "202610") == [
        "202610-0001",
        "202610-0002",
        "202610-0003",
    ]

    again = liyuan(cli_env, "import", str(path))
    assert again.returncode == 2 and "already on record" in again.stderr.decode()
    assert counts(engine)[0] == 4


def test_refs_continue_after_the_requests_of_that_month(cli_env, staff, clock, tmp_path):
    desk = staff["assistant"]
    clock.set(datetime(2026, 10, 10, 4, 0, tzinfo=UTC))
    live = desk.intake.create_request(category="repair", unit="1-101", phone="13800000000", complete=True)
    path = tmp_path / "logbook.csv"
    path.write_text("category,received_at,unit\nrepair,2026-10-02 10:00,2-202\n", encoding="utf-8")
    assert liyuan(cli_env, "import", str(path)).returncode == 0
    assert live.ref == "202610-0001"
    assert staff["cs_supervisor"].lookup.search("2-202")[0].ref == "202610-0002"


def test_bad_rows_are_reported_with_line_numbers_and_nothing_is_written(cli_env, staff, tmp_path):
    engine = staff["cs_supervisor"].engine
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    before = counts(engine)
    result = liyuan(cli_env, "import", str(path))
    err = result.stderr.decode()
    assert result.returncode == 2
    assert "line 2 category:" in err  # unknown category
    assert "line 3 replied_at:" in err  # before received_at
    assert "line 6 phone:" in err  # the quoted two-line cell of line 4–5 counts both lines
    assert "line 8 received_at:" in err  # in the future
    assert "line 4" not in err and "line 7" not in err
    assert "4 bad rows; nothing was imported" in err
    assert counts(engine) == before

    skipped = liyuan(cli_env, "import", str(path), "--skip-bad")
    assert skipped.returncode == 0, skipped.stderr.decode()
    assert "imported 2" in skipped.stdout.decode() and "skipped 4" in skipped.stdout.decode()
    assert counts(engine) == (before[0] + 2, before[1] + 1)


@pytest.mark.parametrize(
    "content, reason",
    [
        ("category,received_at,recieved\n", "line 1 recieved: unknown column"),
        ("category,unit\nA,1-101\n", "line 1 received_at: this column is missing"),
        ("", "line 1: the file is empty"),
    ],
)
def test_a_bad_header_refuses_the_whole_file_even_with_skip_bad(staff, tmp_path, in_process, content, reason):
    path = tmp_path / "head.csv"
    path.write_text(content, encoding="utf-8")
    code, _, err = in_process("import", str(path), "--skip-bad")
    assert code == 2 and reason in err


def test_a_file_that_is_not_utf8_is_refused_with_advice(staff, tmp_path, in_process):
    path = tmp_path / "gbk.csv"
    path.write_bytes("category,received_at,unit\nA,2026-10-01 10:00,三栋\n".encode("gbk"))
    code, _, err = in_process("import", str(path))
    assert code == 2 and "line 2: the file is not UTF-8" in err and "CSV UTF-8" in err
    code, _, err = in_process("import", str(tmp_path / "none.csv"))
    assert code == 2 and "cannot read" in err and "file:" not in err


def test_only_supervisors_import(staff, tmp_path, in_process):
    path = tmp_path / "logbook.csv"
    path.write_text(GOOD, encoding="utf-8")
    code, _, err = in_process("import", str(path), user="ann")
    assert code == 2 and "may not" in err
    assert counts(staff["cs_supervisor"].engine)[0] == 0


def test_residents_import_adds_and_updates_the_archive(cli_env, staff, tmp_path):
    engine = staff["cs_supervisor"].engine
    with Session(engine) as s:
        s.add(Resident(unit="1-101", name="王伯", phones="13000000000", notes="旧备注"))
        s.commit()
    path = tmp_path / "residents.csv"
    path.write_text(
        BOM + "房号,姓名,电话,备注\n1-101,王伯,13811112222;139 2222 3333,行动不便\n"
        "2-202,李阿姨,13800000000,\n",
        encoding="utf-8",
    )
    done = liyuan(cli_env, "residents", "import", str(path))
    assert done.returncode == 0, done.stderr.decode()
    assert "imported 1, updated 1" in done.stdout.decode()
    with Session(engine) as s:
        people = {r.unit: r for r in s.exec(select(Resident))}
    assert people["1-101"].phones == "13811112222,13922223333" and people["1-101"].notes == "行动不便"
    assert people["2-202"].name == "李阿姨"


def test_residents_bad_rows_and_skip_bad(cli_env, staff, tmp_path):
    engine = staff["cs_supervisor"].engine
    path = tmp_path / "residents.csv"
    path.write_text(
        "unit,name,phones\n3-301,陈,12\n,无房号,13800000000\n4-401,赵,13800000001\n4-401,赵,\n",
        encoding="utf-8",
    )
    result = liyuan(cli_env, "residents", "import", str(path))
    err = result.stderr.decode()
    assert result.returncode == 2
    assert "line 2 phones:" in err and "line 3 unit:" in err and "line 5: repeats line 4" in err
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Resident)).one() == 0
    ok = liyuan(cli_env, "residents", "import", str(path), "--skip-bad")
    assert ok.returncode == 0 and "imported 1" in ok.stdout.decode()
    with Session(engine) as s:
        assert [r.unit for r in s.exec(select(Resident))] == ["4-401"]


def test_row_problems_are_not_fatal_but_a_repeated_row_is_bad(staff, tmp_path, in_process):
    path = tmp_path / "logbook.csv"
    path.write_text(
        "category,received_at,unit\n"
        "repair,2026-10-02 10:00,2-202\n"
        "repair,2026-10-02 10:00,2-202\n"  # the same request typed twice
        "repair,2026-10-02 11:00,2-203,surplus\n"  # a cell with no column
        "repair,2026-10-02 12:00,2-204,,\n",
        encoding="utf-8",
    )  # empty trailing cells are fine
    code, _, err = in_process("import", str(path))
    assert code == 2 and "line 3: repeats line 2" in err and "line 4: 4 cells, but only 3 columns" in err
    code, out, err = in_process("import", str(path), "--skip-bad")
    assert code == 0 and "imported 2" in out and "skipped 2" in out


@pytest.mark.parametrize(
    "command,content",
    [
        (("import",), b"category\rreceived_at,unit\n"),  # a lone carriage return in the header
        (("residents", "import"), b"unit\rname\n"),
        (
            ("import",),
            b"category,received_at,unit\nA,2026-10-01 10:00,\xe4\xb8\x89\r\xe6\xa0\x8b\n",
        ),  # in a row
        (("residents", "import"), b"unit,name\n3-1-101,\xe5\xbc\xa0\r\xe4\xb8\x89\n"),
    ],
)
def test_a_file_that_is_not_csv_text_is_refused_in_one_line(staff, tmp_path, in_process, command, content):
    """A binary file (the fuzz test gave `residents import desk.db`) raised csv.Error."""
    path = tmp_path / "odd.csv"
    path.write_bytes(content)
    code, _, err = in_process(*command, str(path))
    assert code == 2 and "not CSV text" in err and "Traceback" not in err
    assert counts(staff["cs_supervisor"].engine)[0] == 0
