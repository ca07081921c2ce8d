"""Issue 22 in the store: what the caller was told, department staff logging their own requests,
receipts for paid services, linked calls, the duty log and the signed handover, the reception log,
commendations and recommendations, training kinds — each one transaction and one event, roles
enforced by the store, bad input refused naming the field with nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from liyuan_tui.domain.errors import DeskError, NotFound, PermissionDenied, ValidationError
from liyuan_tui.domain.models import Event
from liyuan_tui.domain.permissions import hidden_fields


def events(store) -> int:
    with store.reading() as s:
        return s.exec(select(func.count()).select_from(Event)).one()


def log(store, category="other", **kw):
    fields = {"category": category, "unit": "3-1201", "phone": "13800000000", "complete": True}
    return store.intake.create_request(**(fields | kw))


# --- what was said -------------------------------------------------------------------------------


def test_a_reply_keeps_what_the_caller_was_told_and_the_canned_answer_it_came_from(desk):
    ref = log(desk, "consultation").ref
    req = desk.replies.reply(ref, answer="renovation", lang="en")
    assert req.replied_at is not None and req.reply_answer == "renovation"
    assert req.reply_text.startswith("Before renovating")
    detail = desk.lookup.detail(ref)
    replied = [e for e in detail.events if e.kind == "replied"][-1]
    assert '"answer": "renovation"' in replied.payload and "Before renovating" in replied.payload


def test_typed_words_win_over_the_canned_answers_text(desk):
    ref = log(desk, "consultation").ref
    req = desk.replies.reply(ref, "物业费可在前台交,也可以微信支付", answer="fee-payment")
    assert (req.reply_text, req.reply_answer) == ("物业费可在前台交,也可以微信支付", "fee-payment")


def test_words_may_be_added_once_to_a_reply_made_without_them(desk):
    ref = log(desk).ref
    first = desk.lifecycle.mark_replied(ref)
    later = desk.replies.reply(ref, "师傅二十分钟内到")
    assert later.replied_at == first.replied_at and later.reply_text == "师傅二十分钟内到"
    kinds = [e.kind for e in desk.lookup.detail(ref).events]
    assert kinds[-2:] == ["replied", "reply_noted"]
    with pytest.raises(ValidationError) as err:
        desk.replies.reply(ref, "又说了一遍")
    assert err.value.key == "error.already_replied"


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"answer": "no-such-answer"}, "answer"),
        ({"text": "x\x1b[2J"}, "reply_text"),
        ({"text": "x" * 4001}, "reply_text"),
        ({"answer": "a\x07"}, "answer"),
    ],
)
def test_a_bad_reply_is_refused_naming_the_field_and_writes_nothing(desk, kw, field):
    ref = log(desk).ref
    before = events(desk)
    with pytest.raises(ValidationError) as err:
        desk.replies.reply(ref, **kw)
    assert err.value.field == field and events(desk) == before
    assert desk.lookup.get_request(ref).replied_at is None


def test_what_was_said_is_hidden_with_the_other_details_of_a_confidential_request(staff, desk):
    ref = log(desk, "consultation", confidential=True).ref
    desk.replies.reply(ref, "涉及公司内部信息")
    req = desk.lookup.get_request(ref)
    assert "reply_text" in hidden_fields(staff["guard"].staff.me(), req, desk.procedures)
    assert "reply_text" not in hidden_fields(staff["manager"].staff.me(), req, desk.procedures)


# --- department staff log requests ---------------------------------------------------------------


def test_department_staff_log_a_request_and_it_is_theirs_like_an_assistants(staff):
    eng = staff["dept_staff"]
    req = log(eng, confidential=True)
    assert (req.created_by, req.assignee) == ("eng", "eng")
    assert hidden_fields(eng.staff.me(), req, eng.procedures) == frozenset()  # they see their own
    eng.intake.update_fields(req.ref, description="楼道灯不亮")
    eng.lifecycle.tick_step(req.ref, "need", note="换灯泡")  # the desk's step, on their own request
    eng.replies.reply(req.ref, "明早派人更换")
    eng.charges.add_charge(req.ref, "drain")
    eng.lifecycle.escalate(req.ref)
    assert eng.lookup.get_request(req.ref).escalated_by == "eng"


def test_department_staff_may_not_work_a_request_that_is_not_theirs(staff, desk):
    eng = staff["dept_staff"]
    ref = log(desk).ref
    for call in (
        lambda: eng.intake.update_fields(ref, description="x"),
        lambda: eng.lifecycle.mark_replied(ref),
        lambda: eng.lifecycle.close_request(ref, "done"),
        lambda: eng.charges.add_charge(ref, "drain"),
        lambda: eng.lifecycle.cancel(ref, "dup"),
        lambda: eng.lifecycle.tick_step(ref, "need", note="x"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    desk.lifecycle.assign(ref, "eng")  # handed to them: now theirs
    eng.lifecycle.mark_replied(ref)


# --- receipts ------------------------------------------------------------------------------------


def test_each_charge_gets_a_numbered_receipt_per_month_and_ticks_the_fee_step_once(desk, clock):
    ref = log(desk).ref
    desk.charges.add_charge(ref, "drain")
    desk.charges.add_charge(ref, "toilet")
    detail = desk.lookup.detail(ref)
    numbers = sorted(r.number for r in detail.receipts.values())
    assert numbers == ["S202611-0001", "S202611-0002"]
    assert detail.steps["fee_agreed"].note == "S202611-0001"  # ticked by the first charge only
    assert {r.charge_id for r in detail.receipts.values()} == {c.id for c in detail.charges}
    clock.advance(5 * 86400)  # December in Shanghai
    other = log(desk).ref
    desk.charges.add_charge(other, "drain")
    assert [r.number for r in desk.lookup.detail(other).receipts.values()] == ["S202612-0001"]


def test_a_receipt_is_paid_once_with_how_and_by_whom(staff, desk):
    ref = log(desk).ref
    desk.charges.add_charge(ref, "drain")
    number = next(iter(desk.lookup.detail(ref).receipts.values())).number
    paid = staff["cs_supervisor"].receipts.pay(number, "fee_bill")
    assert (paid.method, paid.paid_by, paid.paid) == ("fee_bill", "sup", True)
    with pytest.raises(ValidationError) as err:
        desk.receipts.pay(number, "cash")
    assert err.value.key == "error.receipt_paid" and err.value.params["by"] == "sup"
    assert [e.kind for e in desk.lookup.detail(ref).events][-1] == "paid"


def test_who_may_take_payment_and_bad_payments_write_nothing(staff, desk):
    ref = log(desk).ref
    desk.charges.add_charge(ref, "drain")
    number = next(iter(desk.lookup.detail(ref).receipts.values())).number
    before = events(desk)
    for role in ("guard", "security_lead", "technician", "dept_staff"):
        with pytest.raises(PermissionDenied):
            staff[role].receipts.pay(number, "cash")
    for number_, method, field in (
        (number, "cheque", "method"),
        ("S1", "cash", "receipt"),
        (number + "\x1b", "cash", "receipt"),
    ):
        with pytest.raises(ValidationError) as err:
            desk.receipts.pay(number_, method)
        assert err.value.field == field
    with pytest.raises(NotFound):
        desk.receipts.pay("S209901-0001", "cash")
    assert events(desk) == before


# --- linked calls --------------------------------------------------------------------------------


def test_calls_link_to_the_incidents_first_call_and_close_with_it(desk):
    first, second, third = (log(desk, unit=f"2-{n}").ref for n in (101, 102, 103))
    desk.incidents.link(second, first)
    linked = desk.incidents.link(third, second)  # to a linked call: its first
    assert linked.incident == first
    assert desk.lookup.detail(first).linked == [second, third]
    assert desk.lookup.detail(third).linked == [first, second]
    with pytest.raises(ValidationError) as err:
        desk.incidents.link(first, log(desk).ref)
    assert err.value.key == "error.link_has_calls"
    for ref in (first, second):
        desk.lifecycle.mark_replied(ref)
        desk.lifecycle.tick_step(ref, "need", note="地下车库进水")
        desk.lifecycle.tick_step(ref, "record")
    desk.lifecycle.close_request(first, "排水完毕")
    done = desk.incidents.close_calls(first, "排水完毕")
    assert [(c.ref, c.closed) for c in done] == [(second, True), (third, False)]
    assert isinstance(done[1].refusal, DeskError) and done[1].refusal.key == "error.close_not_replied"
    assert desk.lookup.get_request(third).status == "open"


def test_unlinking_a_call_and_who_may_link(staff, desk):
    a, b = log(desk).ref, log(desk).ref
    with pytest.raises(PermissionDenied):
        staff["guard"].incidents.link(a, b)
    desk.incidents.link(a, b)
    assert desk.incidents.unlink(a).incident is None
    assert [e.kind for e in desk.lookup.detail(a).events][-2:] == ["linked", "unlinked"]


# --- the duty log and the signed handover ---------------------------------------------------------


def test_the_duty_log_keeps_who_and_when(staff, desk, clock):
    since = clock.now()
    desk.shift.note("22:30 巡查 B 栋地下车库,一切正常")
    clock.advance(60)
    staff["guard"].shift.note("23:00 东门来访一人,已登记")
    notes = desk.shift.notes(since)
    assert [(n.by, n.text[:5]) for n in notes] == [("ann", "22:30"), ("gd", "23:00")]
    with pytest.raises(PermissionDenied):
        staff["technician"].shift.note("x")
    with pytest.raises(ValidationError) as err:
        desk.shift.note("  ")
    assert err.value.field == "duty_note"


def test_a_signed_handover_is_shown_to_the_receiver_and_supervisors_until_accepted(staff, desk, clock):
    signed = desk.shift.sign("mgr", since=clock.now() - timedelta(hours=8), sheet='{"x": 1}')
    assert signed.accepted_at is None
    assert [h.id for h in staff["manager"].shift.pending()] == [signed.id]  # the receiver
    assert [h.id for h in staff["cs_supervisor"].shift.pending()] == [signed.id]  # a supervisor
    assert staff["guard"].shift.pending() == []
    with pytest.raises(ValidationError) as err:
        desk.shift.sign("gd", since=clock.now())
    assert err.value.key == "error.handover_pending"
    with pytest.raises(ValidationError):
        staff["guard"].shift.accept()  # nothing handed to them
    clock.advance(120)
    accepted = staff["manager"].shift.accept()
    assert accepted.accepted_at == clock.now() and staff["cs_supervisor"].shift.pending() == []
    assert desk.shift.latest().id == signed.id
    desk.shift.sign("gd", since=clock.now())  # the next one may be signed now


# --- the reception log ---------------------------------------------------------------------------


def test_visitors_are_logged_with_the_request_they_became(staff, desk):
    ref = log(desk).ref
    desk.reception.add(name="王先生", purpose="询问装修手续", unit="3-1201", outcome="已解答")
    staff["dept_staff"].reception.add(name="李女士", purpose="投诉噪音", ref=ref)
    rows = desk.reception.listed()
    assert [(r.name, r.received_by, r.ref) for r in rows] == [("李女士", "eng", ref), ("王先生", "ann", None)]
    with pytest.raises(PermissionDenied):
        staff["guard"].reception.add(name="x", purpose="y")
    with pytest.raises(PermissionDenied):
        staff["guard"].reception.listed()
    with pytest.raises(NotFound):
        desk.reception.add(name="x", purpose="y", ref="202611-0999")
    before = events(desk)
    for kw, field in (
        ({"name": " "}, "name"),
        ({"purpose": "a\x1b"}, "purpose"),
        ({"unit": "x" * 65}, "unit"),
    ):
        with pytest.raises(ValidationError) as err:
            desk.reception.add(**({"name": "x", "purpose": "y"} | kw))
        assert err.value.field == field
    assert events(desk) == before


# --- commendations, recommendations, training kinds ---------------------------------------------


def test_commendations_and_recommendations_are_on_the_staff_record(staff):
    sup, mgr = staff["cs_supervisor"], staff["manager"]
    sup.staff_records.commend("ann", kind="reward", note="台风夜连续处理三十个来电")
    mgr.staff_records.commend("ann", kind="penalty", note="漏记一次回访")
    mgr.staff_records.recommend("ann", for_what="promotion", note="可任客服部主管助理")
    rec = staff["assistant"].staff_records.records("ann")  # her own
    assert [(c.kind, c.by) for c in rec.commendations] == [("penalty", "mgr"), ("reward", "sup")]
    assert [(r.for_what, r.by) for r in rec.recommendations] == [("promotion", "mgr")]
    for role in ("assistant", "security_lead", "dept_staff"):
        with pytest.raises(PermissionDenied):
            staff[role].staff_records.commend("gd", kind="reward", note="x")
        with pytest.raises(PermissionDenied):
            staff[role].staff_records.recommend("gd", for_what="transfer", note="x")
    with pytest.raises(PermissionDenied):
        sup.staff_records.recommend("sup", for_what="promotion", note="我")
    for call, field in (
        (lambda: sup.staff_records.commend("ann", kind="medal", note="x"), "kind"),
        (lambda: sup.staff_records.recommend("ann", for_what="raise", note="x"), "for"),
        (lambda: sup.staff_records.commend("ann", kind="reward", note=" "), "note"),
    ):
        with pytest.raises(ValidationError) as err:
            call()
        assert err.value.field == field


def test_a_course_given_to_several_is_one_session_of_a_kind(staff):
    sup = staff["cs_supervisor"]
    first = sup.staff_records.train(
        ["ann", "gd", "ann"], course="职业道德与礼貌用语", day="2026-11-20", hours=2, kind="ethics"
    )
    assert first.kind == "ethics" and first.session == first.id
    rec = sup.staff_records.records("gd")
    assert rec.trainings[0].kind == "ethics" and rec.attended_with(rec.trainings[0]) == ["ann", "gd"]
    old = sup.staff_records.train("ann", course="消防", day="2026-11-02")
    assert old.kind == "skills"
    with pytest.raises(ValidationError) as err:
        sup.staff_records.train("ann", course="x", day="2026-11-02", kind="fitness")
    assert err.value.field == "kind"
    with pytest.raises(ValidationError):
        sup.staff_records.train(["ann", "nobody"], course="x", day="2026-11-02")
    assert len(sup.staff_records.records("ann").trainings) == 2  # the refused one wrote nothing
