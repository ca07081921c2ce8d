"""Procedures and paid services from the command line: a real walk in subprocesses, and the
refusals a script meets, each one line naming what is wrong."""

from __future__ import annotations

import json

import pytest

from liyuan_tui.cli import main


@pytest.fixture
def run(monkeypatch, cli_desk, db_path, clock, capsys):
    """run(*args) → (exit code, stdout, stderr) of `liyuan …` in this process, on the test database."""
    monkeypatch.setenv("LIYUAN_DB", str(db_path))
    monkeypatch.setenv("LIYUAN_LANG", "en")

    def call(*args: str) -> tuple[int, str, str]:
        code = main(list(args), clock=clock)
        out, err = capsys.readouterr()
        return code, out, err

    return call


@pytest.mark.e2e
def test_a_repair_with_a_paid_service_walks_through_the_real_command(liyuan):
    """The same walk a phone system or a script would do: one process per command."""

    def ok(*args: str) -> str:
        done = liyuan(*args)
        assert done.returncode == 0, f"{args}: {done.stderr}"
        return done.stdout.strip()

    ref = ok(
        "log", "--category", "B", "--unit", "7-0502", "--phone", "13800138000", "--text", "卫生间下水道堵塞"
    )
    ok("reply", ref)
    for step, flag, answer in (
        ("fault", "--value", "卫生间地漏"),
        ("dispatch", "--value", "工程部王工 22:08"),
        ("repairer_arrived", "--value", "王工 22:20"),
        ("repair_result", "--note", "已疏通"),
        ("resident_informed", "--value", "当面告知,满意"),
        ("record", None, None),
    ):
        ok("step", ref, step, *((flag, answer) if flag else ()))
    charged = ok("charge", ref, "drain", "--qty", "2")
    assert charged == f"{ref}: Unblock a drain × 2 job = 100.00 yuan (request total 100.00 yuan)"
    ok("close", ref, "--outcome", "已疏通,收费 100 元")
    data = json.loads(ok("show", ref, "--json"))
    assert data["status"] == "closed"
    assert data["charges"][0]["item"] == "drain" and data["charges_total"] == 100.0
    assert all(s["state"] == "done" for s in data["checklist"] if s["required"])
    assert [e["kind"] for e in data["events"]].count("step") == 6


def test_the_never_alone_rule_holds_on_the_command_line(run):
    assert run("staff", "add", "gd", "--name", "小李", "--role", "guard")[0] == 0
    code, ref, _ = run("log", "--category", "medical", "--unit", "3-1201", "--phone", "13800138000")
    ref = ref.strip()
    run("step", ref, "patient_address", "--value", "3 栋 1201")
    run("step", ref, "contact_phone", "--value", "13800138000")
    run("branch", ref, "care")
    code, _, err = run("step", ref, "care_introduce", "--user", "gd")
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("liyuan step: first complete: ")
    assert (
        "Confirm a family member is there" in err
        and "never alone" in err
        and "care_family_present" not in err
    )
    run("step", ref, "care_brief_security")
    run("step", ref, "care_carer_assigned", "--value", "小李")
    assert run("step", ref, "care_family_present", "--user", "gd")[0] == 0
    code, out, _ = run("step", ref, "care_introduce", "--user", "gd")
    assert (
        code == 0
        and out.strip()
        == f"{ref}: done: The carer introduces themselves, then gives care as the requester asks"
    )


def test_closing_refusals_name_what_is_missing(run):
    ref = run("log", "--category", "other", "--unit", "3-1201", "--phone", "13800138000", "--major")[
        1
    ].strip()
    run("reply", ref)
    code, _, err = run("close", ref, "--outcome", "done")
    assert code == 2 and err.startswith("liyuan close: required steps not done: 'Ask what help")
    assert "'Major case: inform the company manager at once'" in err and "'Check the record" in err
    assert "manager_informed" not in err
    code, _, err = run("close", ref, "--outcome", "done", "--kind", "handed_on")
    assert code == 2 and err.strip() == "liyuan close: --handed-to: a request handed on must record to whom"


def test_chinese_refusals_are_in_chinese(run):
    ref = run("log", "--category", "A", "--unit", "3-1201", "--phone", "13800138000")[1].strip()
    code, _, err = run("step", ref, "patient_address", "--lang", "zh")
    assert code == 2 and "此步骤需要填写:病人地址" in err


def test_liyuan_fees_says_the_shipped_schedule_is_an_example(run):
    code, out, _ = run("fees")
    assert code == 0
    assert out.startswith("Note: this is the EXAMPLE fee schedule")
    assert "drain" in out and "50.00" in out and "EXAMPLE: prices are made up" in out
    code, out, _ = run("fees", "--lang", "zh")
    assert "示例收费标准" in out and "疏通下水道" in out


def test_a_sites_fee_file_is_published_then_used_and_is_not_called_an_example(run, tmp_path, monkeypatch):
    site = tmp_path / "site-fees.toml"
    site.write_text(
        'title = { zh = "本站收费标准", en = "Our fees" }\n[[items]]\ncode = "drain"\nzh = "疏通"\n'
        'en = "Drain"\nunit = { zh = "次", en = "job" }\nprice = 45\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("LIYUAN_FEES", str(site))
    code, out, _ = run("fees")
    assert "EXAMPLE" in out and "50.00" in out  # a file of one's own is not the site's rules
    code, out, err = run("rules", "publish")  # (the test runs as root, who publishes)
    assert code == 0 and "fee schedule v2" in out, err
    monkeypatch.delenv("LIYUAN_FEES")
    code, out, _ = run("fees")
    assert code == 0 and "EXAMPLE" not in out and "Our fees" in out and "45.00" in out
    ref = run("log", "--category", "B", "--unit", "3-1201", "--phone", "13800138000")[1].strip()
    assert run("charge", ref, "drain")[1].strip().endswith("= 45.00 yuan (request total 45.00 yuan)")
    code, out, _ = run("check")
    assert "published v2" in out and "1 fee item loaded" not in out


def test_a_broken_fee_file_is_named_and_never_published(run, tmp_path, monkeypatch):
    site = tmp_path / "fees.toml"
    site.write_text(
        '[[items]]\ncode = "drain"\nzh = "疏通"\nen = "Drain"\nunit = { zh = "次", en = "job" }\n'
        "price = 4.555\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("LIYUAN_FEES", str(site))
    code, _, err = run("rules", "publish")
    assert code == 2 and f"{site}: item 'drain': price 4.555 has fractions of a fen" in err
    ref = run("log", "--category", "B", "--unit", "3-1201", "--phone", "13800138000")[1].strip()
    code, out, _ = run("charge", ref, "drain")  # the site's schedule is untouched
    assert code == 0 and "50.00" in out
    code, out, _ = run("check")
    assert code == 1 and "fee schedule error" in out  # (the file named is tested by check)


@pytest.mark.parametrize(
    "args, message",
    [
        (("nope",), "'nope' is not in the fee schedule"),
        (("drain", "--qty", "0"), "--qty: '0' is not a quantity"),
        (("drain", "--qty", "lots"), "--qty: 'lots' is not a quantity"),
    ],
)
def test_liyuan_charge_refuses_bad_input_and_writes_nothing(run, args, message):
    ref = run("log", "--category", "B", "--unit", "3-1201", "--phone", "13800138000")[1].strip()
    code, _, err = run("charge", ref, *args)
    assert code == 2 and message in err and err.count("\n") == 1
    data = json.loads(run("show", ref, "--json")[1])
    assert data["charges"] == [] and [e["kind"] for e in data["events"]] == ["created"]


def test_the_branch_is_switched_from_the_command_line_with_a_reason(run):
    ref = run("log", "--category", "A", "--unit", "3-1201", "--phone", "13800138000")[1].strip()
    run("branch", ref, "care")
    code, _, err = run("branch", ref, "hospital", "--instead-of", "care")
    assert code == 2 and err.startswith("liyuan branch: --reason: ")
    code, out, _ = run(
        "branch", ref, "hospital", "--instead-of", "care", "--reason", "no family member can stay"
    )
    assert code == 0 and out.strip() == f"{ref}: help switched"
    code, out, _ = run("show", ref)
    assert "help switched: Short-term care → Escort to hospital (no family member can stay)" in out
