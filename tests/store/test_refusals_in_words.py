"""Every refusal the store raises, said in the company's language: each one is provoked here the
way a person or a script would, and its message, in Chinese and English, names steps, roles and
events by what they are called, never by their keys. A refusal added to the code without a case
here fails the last test."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from words import leaked

from liyuan_tui.domain import validation as check
from liyuan_tui.domain.errors import DeskError
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.reports.handover import parse_since
from liyuan_tui.reports.month import Month

ROOT = Path(__file__).resolve().parents[2]
RAISED = re.compile(
    r'(?:Error|Denied|NotFound|Mismatch|UnknownUser|DeskError)\("((?:error|import|handover)\.[a-z_]+)"'
)


def refusal(call) -> DeskError:
    with pytest.raises(DeskError) as caught:
        call()
    return caught.value


@pytest.fixture
def refusals(staff, desk, clock, supervisor):
    """Each refusal, provoked."""
    ann, gd, eng, lead, mgr = (
        desk,
        staff["guard"],
        staff["dept_staff"],
        staff["security_lead"],
        staff["manager"],
    )
    med = ann.intake.create_request(category="medical", unit="3-1201", phone="138", complete=True).ref
    rep = ann.intake.create_request(category="repair", unit="5-0803", phone="139", complete=True).ref
    cpl = ann.intake.create_request(category="complaint", unit="7-0602", phone="137", complete=True).ref
    out: list[DeskError] = []

    def add(call):
        out.append(refusal(call))

    add(
        lambda: ann.intake.create_request(category="Z", unit="1", phone="138", complete=True)
    )  # category_unknown
    add(lambda: ann.intake.create_request(channel="fax"))  # channel_unknown
    add(lambda: ann.intake.create_request(category="A", unit=" ", phone="1", complete=True))  # unit_empty
    add(lambda: ann.intake.create_request(category="A", unit="1", phone="", complete=True))  # phone_empty
    add(lambda: ann.intake.update_fields(med, phone="139 0013 900O"))  # phone_malformed
    add(lambda: ann.intake.update_fields(med, requester_name="x" * 50))  # too_long
    add(lambda: ann.intake.update_fields(med, received_at=clock.now() + timedelta(hours=1)))  # time_future
    add(lambda: ann.intake.update_fields(med, received_at="yesterday"))  # time_malformed
    add(lambda: ann.lookup.get_request("202611-0999"))  # ref_unknown
    add(lambda: check.ref("garbage"))  # ref_malformed
    add(lambda: ann.lifecycle.tick_step(med, "no_such_step"))  # step_unknown
    add(lambda: ann.lifecycle.tick_step(med, "patient_address"))  # step_needs_value
    add(lambda: ann.lifecycle.tick_step(med, "ambulance_call_120", value="ok"))  # step_blocked_by
    add(lambda: gd.lifecycle.tick_step(med, "patient_address", value="x"))  # not_allowed_step
    add(lambda: gd.intake.create_request())  # not_allowed (create)
    add(lambda: eng.intake.update_fields(med, description="x"))  # not_your_request
    add(lambda: ann.lifecycle.close_request(med, "done"))  # close_not_replied
    ann.lifecycle.mark_replied(med)
    add(lambda: ann.lifecycle.mark_replied(med))  # already_replied
    add(lambda: ann.lifecycle.close_request(med, "done"))  # close_branch_missing
    add(lambda: ann.lifecycle.choose_branch(med, "taxi"))  # branch_unknown
    ann.lifecycle.tick_step(med, "patient_address", value="3-1201")
    add(lambda: ann.lifecycle.tick_step(med, "patient_address", value="3-1201"))  # step_already_done
    ann.lifecycle.choose_branch(med, "care")
    add(lambda: ann.lifecycle.choose_branch(med, "care"))  # branch_already
    add(lambda: ann.lifecycle.switch_branch(med, "hospital", "ambulance", "no family"))  # branch_not_chosen
    add(lambda: ann.lifecycle.close_request(med, "done"))  # close_steps_missing
    add(lambda: ann.lifecycle.tick_step(rep, "resident_informed", note="x"))  # step_needs_value (a value)
    add(lambda: ann.lifecycle.tick_step(cpl, "details"))  # step_needs_note
    add(lambda: ann.lifecycle.close_request(med, "done", kind="gone"))  # outcome_kind
    add(lambda: ann.lifecycle.close_request(med, " "))  # outcome_empty
    add(lambda: ann.lifecycle.close_request(med, "done", kind="handed_on"))  # handed_to_missing
    ann.lifecycle.mark_replied(rep)
    for step, value in (("fault", "漏水"), ("dispatch", "老杨")):
        ann.lifecycle.tick_step(rep, step, value=value)
    ann.lifecycle.tick_step(rep, "record")
    add(lambda: ann.lifecycle.close_request(rep, "转工程部", handed_to="工程维修部"))  # handed_on_no_result
    add(lambda: supervisor.lifecycle.acknowledge(rep))  # nothing_to_acknowledge
    ann.lifecycle.escalate(rep)
    add(lambda: ann.lifecycle.escalate(rep))  # already_escalated
    add(lambda: ann.lifecycle.close_request(rep, "done"))  # escalated_close
    add(lambda: ann.lifecycle.reopen(rep, "again"))  # status_not_closed
    add(lambda: lead.lifecycle.take(rep) and mgr.lifecycle.take(rep))  # taken
    add(lambda: ann.intake.update_fields(rep, expected_version=1, unit="x"))  # stale
    add(lambda: ann.lifecycle.assign(rep, "nobody"))  # login_unknown
    add(lambda: supervisor.staff.add_staff("ann", "Ann", "assistant"))  # login_exists
    add(lambda: supervisor.staff.add_staff("bad login!", "X", "guard"))  # login_malformed
    add(lambda: supervisor.staff.add_staff("bob", "Bob", "boss"))  # role_unknown
    add(lambda: ann.charges.add_charge(rep, "nope"))  # fee_item_unknown
    add(lambda: ann.charges.add_charge(rep, "drain", qty="lots"))  # number_malformed
    add(lambda: Month.parse("2026-13"))  # month_malformed
    add(lambda: parse_since("6pm"))  # since_malformed
    ann.lifecycle.set_major(rep)
    add(lambda: ann.lifecycle.set_major(rep, major=False))  # not_allowed (unmark)
    cat = ann.intake.create_request().ref
    add(lambda: ann.lifecycle.tick_step(cat, "x"))  # category_missing
    ann.lifecycle.cancel(cat, "blank")
    add(lambda: ann.lifecycle.mark_replied(cat))  # status_closed
    add(lambda: ann.analyses.write("2026-11", "x"))  # not_allowed (report)
    # the duty roster and the pager (issue 21)
    night = ("2026-11-27T20:00", "2026-11-28T08:00")
    add(lambda: supervisor.roster.add("ann", "duty_supervisor", *night))  # roster_role
    add(lambda: supervisor.roster.add("sup", "duty_supervisor", *reversed(night)))  # roster_backwards
    add(lambda: supervisor.roster.add("sup", "duty_manager", night[0], "2027-01-28T08:00"))  # roster_too_long
    add(
        lambda: supervisor.roster.add("sup", "duty_manager", "2026-11-26T20:00", "2026-11-27T08:00")
    )  # roster_past
    supervisor.roster.add("sup", "duty_supervisor", *night)
    add(lambda: supervisor.roster.add("sup", "duty_supervisor", *night))  # roster_clash
    add(lambda: supervisor.roster.remove(999))  # roster_unknown
    add(lambda: supervisor.pager.page(999))  # page_unknown
    out += desk_record_refusals(staff, rep, cpl)
    return out


def desk_record_refusals(staff, rep: str, cpl: str) -> list[DeskError]:
    """Issue 22's refusals: answers, receipts, linked calls, the handover, commendations."""
    ann, sup, gd = staff["assistant"], staff["cs_supervisor"], staff["guard"]
    out: list[DeskError] = []

    def add(call):
        out.append(refusal(call))

    add(lambda: ann.replies.reply(cpl, answer="no-such-answer"))  # answer_unknown
    add(lambda: ann.receipts.pay("S12", "cash"))  # receipt_malformed
    add(lambda: ann.receipts.pay("S209901-0001", "cash"))  # receipt_unknown
    add(lambda: ann.receipts.pay("S209901-0001", "cheque"))  # choice_unknown (method)
    other = ann.intake.create_request(category="other", unit="2-0101", phone="136", complete=True).ref
    ann.charges.add_charge(other, "drain")
    receipts = ann.lookup.detail(other).receipts
    number = next(iter(receipts.values())).number
    ann.receipts.pay(number, "cash")
    add(lambda: ann.receipts.pay(number, "wechat"))  # receipt_paid
    add(lambda: ann.incidents.link(cpl, cpl))  # link_self
    add(lambda: ann.incidents.unlink(cpl))  # link_none
    ann.incidents.link(other, cpl)
    add(lambda: ann.incidents.link(other, cpl))  # link_already
    add(lambda: ann.incidents.link(cpl, rep))  # link_has_calls
    blank = ann.intake.create_request().ref
    ann.lifecycle.cancel(blank, "blank")
    add(lambda: ann.incidents.link(blank, cpl))  # link_cancelled
    add(lambda: ann.shift.sign("ann", since=ann.clock.now()))  # handover_self
    add(lambda: gd.shift.accept())  # handover_none
    ann.shift.sign("gd", since=ann.clock.now())
    add(lambda: ann.shift.sign("lead", since=ann.clock.now()))  # handover_pending
    add(lambda: sup.staff_records.commend("sup", kind="reward", note="x"))  # commend_self
    return out


# Refusals raised outside the store's reach here (the file system, the database file, a fault):
# rendered with the values they carry.
SAID_ONLY = {
    "error.database": {"path": "/srv/liyuan/desk.db", "reason": "disk I/O error"},
    "error.unexpected": {"reason": "KeyError: 'x'"},
    "error.schema_older": {"revision": "0001", "head": "0007"},
    "error.schema_newer": {"revision": "0009", "head": "0007"},
    "error.unknown_user": {"login": "stranger"},
    "error.inactive_user": {"login": "old"},
    "error.backup_not_sqlite": {},
    "error.backup_exists": {"path": "/tmp/copy.db"},
    "error.backup_folder": {"path": "/nowhere"},
    "import.unreadable": {"path": "a.csv", "reason": "No such file or directory"},
    "import.flag_malformed": {"value": "maybe"},
    # issue 20: where a demo may go, a workbook that needs a file, a database out of reach
    "error.demo_not_sqlite": {"url": "postgresql:///liyuan"},
    "error.demo_not_a_demo": {"path": "/srv/liyuan/desk.db"},
    "error.xlsx_needs_file": {},
    "error.branch_by_desk": {"branch": "送医"},
    "error.no_access": {"path": "/srv/liyuan", "group": "liyuan", "login": "guard1"},
    # the server (issue 11), the back office (issues 13 and 14): said with the values they carry
    "error.appointment_range": {},
    "error.assess_self": {},
    "error.choice_unknown": {"value": "maybe", "choices": "yes, no"},
    "error.close_open_orders": {"ref": "202612-0007", "orders": "W202612-0003"},
    "error.code_exists": {"value": "PIPE20"},
    "error.code_malformed": {"value": "PIPE 20"},
    "error.control_character": {"code": "U+001B"},
    "error.copy_count": {"table": "request", "source": 10, "target": 9},
    "error.copy_needs_postgres": {},
    "error.copy_needs_sqlite": {},
    "error.copy_not_allowed": {"role": "guard"},
    "error.copy_not_empty": {"tables": "request, event"},
    # issue 18: the site's server, its files and its backups
    "error.copy_after_site_init": {"database": "postgresql:///liyuan"},
    "error.db_privilege": {"path": "postgresql:///liyuan", "reason": "permission denied for schema public"},
    "error.db_missing": {"path": "postgresql:///liyuan"},
    "error.db_login_stopped": {"path": "postgresql:///liyuan"},
    "error.db_login_refused": {"path": "postgresql:///liyuan", "reason": "Peer authentication failed"},
    "error.db_unreachable": {"path": "postgresql:///liyuan"},
    "error.special_file": {"path": "/dev/zero"},
    "error.output_exists": {"path": "/tmp/2026-11.md"},
    "error.backup_supervisors": {"role": "assistant"},
    "error.database_name": {"value": "a b"},
    "error.date_malformed": {"value": "tomorrow"},
    "error.estate_exists": {"value": "north"},
    "error.estate_malformed": {"value": "a b"},
    "error.estate_unknown": {"value": "east"},
    "error.fault_kind_unknown": {"value": "x", "choices": "漏水, 停电"},
    "error.followup_already": {"ref": "202612-0007", "by": "王芳", "at": "10:30"},
    "error.followup_not_closed": {"ref": "202612-0007"},
    "error.followup_not_reached": {},
    "error.hours_malformed": {"value": "-1", "max": 24},
    "error.household_nothing": {},
    "error.household_stale": {"unit": "3-1201", "by": "王芳", "at": "10:30"},
    "error.material_spec": {"value": "PIPE20"},
    "error.material_unknown": {"value": "NOPE"},
    "error.number_range": {"value": "7", "low": 1, "high": 5},
    "error.order_malformed": {"value": "W1"},
    "error.order_stale": {"number": "W202612-0007", "at": "10:30"},
    "error.order_state": {"number": "W202612-0007", "order_state": "done"},
    "error.order_unknown": {"value": "W209901-0001"},
    "error.person_both": {},
    "error.person_missing": {},
    "error.person_unknown": {"unit": "3-1201", "value": "张三"},
    "error.pg_dump_failed": {"reason": "connection refused"},
    "error.pg_dump_missing": {},
    "error.price_malformed": {"value": "1.234"},
    "error.records_not_yours": {},
    "error.sign_off": {},
    "error.site_needs_postgres": {},
    "error.stock_changed": {"code": "PIPE20"},
    "error.stock_short": {"code": "PIPE20", "name": "PPR管", "on_hand": 10, "unit": "米", "asked": 99},
    "error.technician_own_orders": {},
    "error.technician_role": {"value": "gd", "role": "guard"},
    "error.tool_lost": {"code": "T01"},
    "error.tool_not_out": {"code": "T01"},
    "error.tool_out": {"code": "T01", "by": "老杨"},
    "error.tool_unknown": {"value": "T99"},
    "error.use_needs_order_or_reason": {},
    "error.yes_no": {"value": "maybe"},
    # trust at a site (issue 10)
    "error.act_as_refused": {"login": "sup", "os_login": "ann"},
    "error.db_exists": {"path": "/srv/liyuan/desk.db"},
    "error.db_url": {"url": "foo://bar", "reason": "unknown engine"},
    "error.escalate_target": {"value": "nobody"},
    "error.qty_range": {"value": "1e-300", "low": 0.01, "high": 10000},
    "error.time_out_of_range": {"value": "0001-01-01 00:00", "first": 2000, "last": 2999},
    "import.too_large": {"path": "/dev/zero", "mb": 64},
    # the pager (issue 21)
    "error.limit_range": {"low": 1, "high": 100000},
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_refusal_names_steps_roles_and_events_by_name(refusals, lang):
    t = Translator(lang)
    said = [(e.key, e.message(t)) for e in refusals]
    said += [(key, DeskError(key, **params).message(t)) for key, params in SAID_ONLY.items()]
    for key, message in said:
        assert not message.startswith(("error.", "import.", "handover.")) and "{" not in message, message
        assert leaked(message, lang) == set(), (key, message)


def test_every_refusal_in_the_code_is_provoked_or_said_here(refusals):
    raised = set()
    for path in [*(ROOT / "liyuan_tui").rglob("*.py"), *(ROOT / "screens").rglob("*.py")]:
        raised |= set(RAISED.findall(path.read_text(encoding="utf-8")))
    covered = {e.key for e in refusals} | set(SAID_ONLY)
    assert raised - covered == set()
