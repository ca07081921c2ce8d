"""The pager end to end, with real receivers on loopback (an SMTP server for mailto://, an HTTP
endpoint for json://) and `liyuan pager run --once` on the test's clock: a major case arrives with
its ref; `ack` stops the repeats; a page nobody acknowledges goes to the backup, then the next role
up; a receiver that is down is tried again and its failure shown; a shift that changes during an
open page reaches the new person; `liyuan pages --json` says all of it."""

from __future__ import annotations

import json

import pytest
from cli_runner import run_liyuan
from pager_receivers import WebReceiver

PAGE_FIELDS = ["id", "ref", "to", "reason", "status", "attempts", "queued_at", "sent_at", "acknowledged_at"]


def send(env, clock):
    done = run_liyuan(env, "pager", "run", "--once", clock=clock)
    assert done.returncode == 0, done.stderr
    return done


def liyuan(env, clock, *args, user="sup"):
    return run_liyuan(dict(env, LIYUAN_USER=user), *args, clock=clock)


def pages(env, clock) -> list[dict]:
    done = liyuan(env, clock, "pages", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def night(staff, cli_env, clock):
    """Tonight (22:00): zhou the duty supervisor; mgr the duty manager, sup their backup."""
    sup = staff["cs_supervisor"]
    sup.staff.add_staff("zhou", "周敏", "cs_supervisor")
    for login, duty, backup in (
        ("zhou", "duty_supervisor", False),
        ("mgr", "duty_manager", False),
        ("sup", "duty_manager", True),
    ):
        args = [
            "roster",
            "add",
            login,
            "--as",
            duty,
            "--from",
            "2026-11-27T18:00",
            "--to",
            "2026-11-28T08:00",
        ]
        done = liyuan(cli_env, clock, *args, *(["--backup"] if backup else []))
        assert done.returncode == 0, done.stderr
    return cli_env


def major_case(staff, unit="3-1201") -> str:
    return (
        staff["assistant"]
        .intake.create_request(category="A", unit=unit, phone="13900000000", complete=True, major=True)
        .ref
    )


def test_a_major_case_arrives_by_mail_and_webhook_with_its_ref(night, staff, clock, smtp, web, pager_config):
    pager_config({"mgr": [smtp.url("mgr"), web.url("mgr")]})
    ref = major_case(staff)
    done = send(night, clock)
    mail = smtp.wait_for(lambda m: ref in m.title)
    hook = web.wait_for(lambda m: ref in m.title)
    assert mail.to == "mgr@liyuan.test" and hook.to == "mgr"
    assert ref in mail.body and ref in hook.body and "liyuan ack " + ref in hook.body
    assert mail.key == hook.key == f"liyuan:major:{_event_id(staff, ref, 'created')}:0:mgr"
    assert mail.key in mail.body  # the idempotency key, also where a channel has no headers
    assert "3-1201" in hook.body
    [page] = pages(night, clock)
    assert list(page) == PAGE_FIELDS
    assert (page["ref"], page["to"], page["reason"], page["status"], page["attempts"]) == (
        ref,
        "mgr",
        "major",
        "sent",
        1,
    )
    assert page["queued_at"] == page["sent_at"] == "2026-11-27T22:00:00+08:00"
    assert page["acknowledged_at"] is None
    assert "1" in done.stdout  # one delivered this pass
    shown = liyuan(night, clock, "show", ref).stdout
    assert "page delivered" in shown and "pager" in shown  # on the request's timeline


def _event_id(staff, ref, kind):
    detail = staff["assistant"].lookup.detail(ref)
    return next(e.id for e in detail.events if e.kind == kind)


def test_ack_stops_the_repeats(night, staff, clock, web, pager_config):
    pager_config({"mgr": [web.url("mgr")], "sup": [web.url("sup")]})
    ref = major_case(staff)
    send(night, clock)
    clock.advance(minutes=5)
    send(night, clock)  # not acknowledged in 5 minutes: repeated
    assert [(m.to, m.key.split(":")[-2]) for m in web.all()] == [("mgr", "0"), ("mgr", "1")]
    assert "this is page 2" in web.all()[1].body and "not acknowledged" in web.all()[1].title
    acked = liyuan(night, clock, "ack", ref, user="mgr")
    assert acked.returncode == 0 and ref in acked.stdout
    for _ in range(4):
        clock.advance(minutes=5)
        send(night, clock)
    assert len(web.all()) == 2  # nothing more, to anyone
    rows = pages(night, clock)
    assert {r["status"] for r in rows} == {"acknowledged"}
    assert {r["acknowledged_at"] for r in rows} == {"2026-11-27T22:05:00+08:00"}
    assert [r["reason"] for r in rows] == ["unacknowledged", "major"]


def test_a_page_nobody_acknowledges_goes_to_the_backup_then_the_next_role_up(
    night, staff, clock, web, pager_config
):
    pager_config({login: [web.url(login)] for login in ("mgr", "sup", "zhou")})
    major_case(staff)
    send(night, clock)
    for _ in range(3):
        clock.advance(minutes=5)
        send(night, clock)
    # The duty manager, again, then the backup; the manager is the top: nobody above.
    assert [m.to for m in web.all()] == ["mgr", "mgr", "sup"]
    backup = web.all()[2]
    assert "not acknowledged" in backup.title and "page 3" in backup.body
    # The automatic escalation climbs from the duty supervisor: repeated, no backup, the manager.
    web.received.clear()
    ref = (
        staff["assistant"].intake.create_request(category="B", unit="5-0803", phone="139", complete=True).ref
    )
    clock.advance(minutes=10, seconds=1)
    staff["assistant"].ladder.record_deadline_alerts()
    send(night, clock)
    clock.advance(minutes=5)
    send(night, clock)
    clock.advance(minutes=5)
    send(night, clock)
    assert [m.to for m in web.all() if ref in m.title] == ["zhou", "zhou", "mgr"]
    shown = liyuan(night, clock, "show", ref).stdout
    assert "page not acknowledged" in shown


def test_a_receiver_that_is_down_is_tried_again_and_its_failure_shown(night, staff, clock, pager_config):
    hook = WebReceiver()  # not listening yet
    pager_config({"mgr": [hook.url("mgr")]})
    ref = major_case(staff)
    done = send(night, clock)
    assert "not delivered to mgr" in done.stderr and hook.url("mgr") not in done.stderr
    [page] = pages(night, clock)
    assert (page["status"], page["attempts"], page["sent_at"]) == ("failed", 1, None)
    listed = liyuan(night, clock, "pages").stdout
    assert "failed" in listed and "json" in listed
    assert "page not delivered" in liyuan(night, clock, "show", ref).stdout
    send(night, clock)  # not yet: it waits before trying again
    assert pages(night, clock)[0]["attempts"] == 1
    hook.up()
    try:
        clock.advance(seconds=10)
        send(night, clock)
        hook.wait_for(lambda m: ref in m.title)
        [page] = pages(night, clock)
        assert (page["status"], page["attempts"]) == ("sent", 2)
    finally:
        hook.down()


def test_a_shift_change_during_an_open_page_reaches_the_new_person(staff, cli_env, clock, web, pager_config):
    sup = staff["cs_supervisor"]
    sup.staff.add_staff("zhou", "周敏", "cs_supervisor")
    sup.staff.add_staff("li", "李强", "cs_supervisor")
    sup.roster.add("zhou", "duty_supervisor", "2026-11-27T14:00", "2026-11-27T22:12")
    sup.roster.add("li", "duty_supervisor", "2026-11-27T22:12", "2026-11-28T08:00")
    pager_config({login: [web.url(login)] for login in ("zhou", "li", "mgr", "sup")})
    ref = (
        staff["assistant"].intake.create_request(category="B", unit="5-0803", phone="139", complete=True).ref
    )
    clock.advance(minutes=10, seconds=1)  # 22:10: the deadline, zhou still on duty
    staff["assistant"].ladder.record_deadline_alerts()
    send(cli_env, clock)
    clock.advance(minutes=5)  # 22:15: li took over at 22:12
    send(cli_env, clock)
    assert [m.to for m in web.all()] == ["zhou", "li"]
    liyuan(cli_env, clock, "ack", ref, user="li")
    assert {p["status"] for p in pages(cli_env, clock)} == {"acknowledged"}


def test_with_nobody_on_the_roster_every_supervisor_and_the_manager_are_paged(
    staff, cli_env, clock, web, pager_config
):
    staff["cs_supervisor"].staff.add_staff("zhou", "周敏", "cs_supervisor")
    pager_config({login: [web.url(login)] for login in ("zhou", "mgr", "sup")})
    now = liyuan(cli_env, clock, "roster", "now", "--json")
    assert {(r["duty"], r["login"], r["rostered"]) for r in json.loads(now.stdout)} >= {
        ("duty_manager", "mgr", False),
        ("duty_supervisor", "zhou", False),
    }
    major_case(staff)
    send(cli_env, clock)
    assert sorted(m.to for m in web.all()) == ["mgr", "sup", "zhou"]


def test_residents_text_arrives_as_plain_text_on_every_channel(night, staff, clock, smtp, web, pager_config):
    """A unit typed with Markdown, HTML and a would-be mail header arrives as those characters:
    escaped for a Markdown channel (WeCom, DingTalk …), escaped for an HTML mail, and never a
    header of its own in a mail."""
    unit = "**3-1201** <b>x</b> [go](http://evil) Bcc: all@x"
    pager_config(
        {"mgr": [smtp.url("mgr", "html"), smtp.url("mgr", "text"), web.url("mgr") + "?format=markdown"]}
    )
    ref = major_case(staff, unit=unit)
    send(night, clock)
    web.wait_for(lambda m: ref in m.title)
    mails = [smtp.wait_for(lambda m: "<b>" not in m.body), smtp.wait_for(lambda m: unit in m.body)]
    html, text = mails
    assert "&lt;b&gt;x&lt;/b&gt;" in html.body and "<b>x</b>" not in html.body  # HTML escaped
    assert unit in text.body  # plain text, as typed
    markdown = web.all()[0].body
    assert r"\*\*3\-1201\*\*" in markdown and r"\[go\]\(http://evil\)" in markdown
    for mail in mails:
        headers = mail.raw.split("\r\n\r\n", 1)[0].lower()
        assert "bcc:" not in headers and "all@x" not in headers
        assert ref in mail.title and "\n" not in mail.title


def test_pager_test_sends_a_test_page_and_says_it_arrived(night, staff, clock, web, pager_config):
    pager_config({"zhou": [web.url("zhou")]})
    done = liyuan(night, clock, "pager", "test", "zhou", "--wait", "5")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "reached zhou" in done.stdout
    got = web.wait_for(lambda m: m.to == "zhou")
    assert "test page" in got.title and got.key.startswith("liyuan:test:")
    [page] = pages(night, clock)
    assert (page["ref"], page["reason"], page["status"]) == (None, "test", "sent")
    refused = liyuan(night, clock, "pager", "test", "zhou", user="ann")
    assert refused.returncode == 2 and len(refused.stderr.splitlines()) == 1


def test_pages_are_listed_for_supervisors_and_each_person_sees_their_own(
    night, staff, clock, web, pager_config
):
    pager_config({"mgr": [web.url("mgr")]})
    major_case(staff)
    assert len(pages(night, clock)) == 1
    assert json.loads(liyuan(night, clock, "pages", "--json", user="ann").stdout) == []
    assert len(json.loads(liyuan(night, clock, "pages", "--json", user="mgr").stdout)) == 1


def test_a_second_sender_waits_while_one_holds_the_lease(night, staff, clock, web, pager_config):
    pager_config({"mgr": [web.url("mgr")]})
    holder = staff["cs_supervisor"]
    from liyuan_tui.store import Store

    service = Store(
        holder.url, clock, "pager", procedures=holder.procedures, tz="Asia/Shanghai", service=True
    )
    assert service.pager.sending.take_lease("otherhost:1:abc") is None  # alive, elsewhere
    major_case(staff)
    done = send(night, clock)
    assert "another sender" in done.stderr and web.all() == []
    clock.advance(seconds=61)  # its lease runs out: taken over
    send(night, clock)
    assert [m.to for m in web.all()] == ["mgr"]
    service.close()
