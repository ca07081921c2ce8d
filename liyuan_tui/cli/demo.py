"""`liyuan demo`: a fresh demo database with a realistic night at the desk, to look around safely.

Built only through the Store, as the desk itself would have written it, on a clock that walks
from early evening to now. The steps ticked are found from the procedures, not named here, so a
site's own procedure files still give a sensible demo.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from liyuan_tui.domain.clock import Clock, FakeClock
from liyuan_tui.domain.config import Settings
from liyuan_tui.domain.errors import DeskError
from liyuan_tui.domain.procedure_files import load_procedures
from liyuan_tui.domain.procedures import Step, request_conditions
from liyuan_tui.store import Store

SUPERVISOR = ("zhou.min", "周敏", "cs_supervisor", "13800000001")
STAFF = (
    ("chen.gang", "陈刚", "manager", "13800000002"),
    ("li.qiang", "李强", "security_lead", "13800000003"),
    ("wang.wei", "王伟", "guard", "13800000004"),
    ("zhao.lei", "赵磊", "guard", "13800000005"),
    ("sun.li", "孙丽", "dept_staff", "13800000006"),
    ("liu.jun", "刘军", "technician", "13800000007"),
)
RESIDENTS = (
    ("1栋0301", "黄伯", "13911110301"),
    ("2栋1501", "林小姐", "13911111501"),
    ("3栋1202", "张阿姨", "13911111202,13922221202"),
    ("3栋1203", "何先生", "13911111203"),
    ("5栋0803", "吴太太", "13911110803"),
    ("6栋2101", "郑先生", "13911112101"),
    ("7栋0602", "刘先生", "13911110602"),
    ("8栋1106", "陈小姐", "13911111106"),
)
# What a ticked step records, by step key ({now}: the time it is ticked, as the desk would write
# it); anything else gets the answer the desk offers (what the form holds, the step's default),
# else a plain "done" note.
ANSWERS = {
    "ambulance_condition": "七十多岁,胸口痛、出冷汗,意识清醒",
    "ambulance_call_120": "{now} 已拨通 120,已受理,调度员 0371 号",
    "ambulance_gate_ready": "王伟 在北门等候",
    "manager_informed": "{now} 电话报告陈经理",
    "fault": "厨房水管接头漏水",
    "dispatch": "{now} 通知维修工老杨",
    "question": "询问停车月卡续费",
    "details": "楼上装修噪音",
    "need": "门禁卡丢失,要求补办",
    "contacted_department": "{now} 联系工程维修部",
}


NAMED_BY_USER = ("--db", "$LIYUAN_DB")  # where a demo may go when named: never a site's config


def demo_path(settings: Settings) -> Path:
    """The file named by --db or LIYUAN_DB, else `demo.db` in the user data folder. A site's
    config names the real database: the demo never goes there."""
    from platformdirs import user_data_dir

    if settings.sources.get("db") in NAMED_BY_USER:
        if settings.db_path is None:
            raise DeskError("error.demo_not_sqlite", "db", url=settings.db_url)
        return settings.db_path
    return Path(user_data_dir("liyuan", appauthor=False)) / "demo.db"


def demo_settings(settings: Settings) -> Settings:
    """The same settings on the demo database file (never the real one)."""
    return replace(settings, db_url=f"sqlite:///{demo_path(settings)}")


def check_replaceable(path: Path) -> None:
    """The demo is rebuilt from nothing each time: a file there that is not an earlier demo (a
    real desk's database named by mistake) is refused, never replaced."""
    from liyuan_tui.store.site import file_has_staff

    if not path.exists() or path.stat().st_size == 0:
        return
    if not file_has_staff(path, *SUPERVISOR[:2]):
        raise DeskError("error.demo_not_a_demo", "db", path=str(path))


def build_demo(settings: Settings, clock: Clock) -> None:
    """Recreate the demo database: staff, residents and tonight's requests, up to `clock.now()`."""
    path = settings.db_path
    assert path is not None, "the demo is a SQLite file"
    check_replaceable(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    procedures = load_procedures(settings.procedures_dir)
    now = clock.now()
    night = FakeClock(now - timedelta(hours=3))

    def store(login: str) -> Store:
        st = Store(
            settings.db_url, night, login, procedures=procedures, tz=settings.tz, os_login=login, create=True
        )
        st.charges.fees_file = settings.fees_file
        st.init_schema()
        return st

    sup = store(SUPERVISOR[0])
    sup.staff.ensure_identity()
    sup.staff.update_staff(SUPERVISOR[0], name=SUPERVISOR[1])
    for login, name, role, phone in STAFF:
        sup.staff.add_staff(login, name, role, phone)
    me = settings.login or "desk"
    if me not in {SUPERVISOR[0], *(s[0] for s in STAFF)}:
        sup.staff.add_staff(me, me, "assistant", "")
    for unit, name, phones in RESIDENTS:
        sup.archive.add_resident(unit, name, phones)
    # The household file the desk must see at once: an elderly resident living alone.
    sup.households.edit(
        "3栋1202",
        elderly_alone=True,
        emergency_name="张先生",
        emergency_relation="儿子",
        emergency_phone="13922221202",
        notes="老人独居,钥匙在邻居 3栋1201 处",
    )
    # The repair shop behind the desk: materials in stock, tools in the register.
    for code, name, unit, price, qty in (
        ("PIPE20", "PPR管 20mm", "米", "12.50", "30"),
        ("TAPE", "生料带", "卷", "3", "20"),
    ):
        sup.stock.add_material(code, name, unit, price)
        sup.stock.receive(code, qty)
    for code, name in (("T01", "管钳"), ("T02", "电笔")):
        sup.tools.add_tool(code, name)
    desk, lead, tech = store(me), store("li.qiang"), store("liu.jun")
    night_of(desk, lead, sup, night, now)
    workshop(desk, tech, night, now)
    for st in (sup, desk, lead, tech):
        st.close()


def night_of(desk: Store, lead: Store, sup: Store, night: FakeClock, now: datetime) -> None:
    def at(minutes_ago: float) -> None:
        night.set(now - timedelta(minutes=minutes_ago))

    def log(minutes_ago: float, category: str, unit: str, phone: str, name: str, text: str, **kw: Any) -> str:
        at(minutes_ago)
        return desk.intake.create_request(
            category=category,
            unit=unit,
            phone=phone,
            requester_name=name,
            description=text,
            complete=True,
            **kw,
        ).ref

    # Earlier in the evening: handled and closed.
    for ago, cat, unit, phone, name, text in (
        (170, "repair", "6栋2101", "13911112101", "郑先生", "卫生间灯不亮"),
        (140, "consultation", "2栋1501", "13911111501", "林小姐", "停车月卡怎么续费"),
        (95, "other", "8栋1106", "13911111106", "陈小姐", "快递放在门岗,帮忙代收"),
    ):
        ref = log(ago, cat, unit, phone, name, text)
        at(ago - 2)
        desk.lifecycle.mark_replied(ref)
        at(ago - 20)
        finish_required(desk, ref)
        desk.lifecycle.close_request(ref, "已处理完毕,求助人满意")

    # Still open tonight.
    ref = log(48, "repair", "5栋0803", "13911110803", "吴太太", "厨房水管漏水,地上有积水")
    at(45)
    desk.lifecycle.mark_replied(ref)
    tick_some(desk, ref, 2)
    charge(desk, ref, "pipe_leak")
    ref = log(33, "complaint", "7栋0602", "13911110602", "刘先生", "楼上深夜装修,噪音很大")
    at(29)
    desk.lifecycle.mark_replied(ref)
    tick_some(desk, ref, 1)

    # The major medical emergency, ambulance on its way: the branch partly ticked.
    ref = log(22, "medical", "3栋1202", "13922221202", "张阿姨的女儿", "老人胸口痛、出冷汗", major=True)
    at(21)
    desk.lifecycle.mark_replied(ref)
    at(20.5)
    tick_some(desk, ref, 3)  # address, phone, which help (what the site's procedure has first)
    at(20)
    tick_key(desk, ref, "manager_informed")
    medical = desk.procedure("medical")
    if medical is not None and medical.branch("ambulance") is not None:
        at(19.5)
        desk.lifecycle.choose_branch(ref, "ambulance")
        at(18)
        tick_some(desk, ref, 4, lead=lead)  # condition, 120 confirmed, requester told, security told
        at(16)
        tick_some(desk, ref, 1, lead=lead)  # the lead posts the gate guard

    log(14, "security", "地下车库 B2", "13911110301", "黄伯", "车库有陌生人拉车门")  # overdue, unanswered
    ref = log(8, "other", "1栋0301", "13911110301", "黄伯", "门禁卡丢失,进不了单元门")  # 2 minutes left
    ref = log(
        4, "disaster", "1栋 地下车库", "13911112101", "郑先生", "车库入口水浸,水位在涨", channel="intercom"
    )
    at(2)
    desk.lifecycle.escalate(ref, note="水位上涨,请主管安排")
    log(1, "repair", "3栋1203", "13911111203", "何先生", "电梯有异响")
    night.set(now)


def workshop(desk: Store, tech: Store, night: FakeClock, now: datetime) -> None:
    """The kitchen leak sent on site: a work order to the technician, who has arrived with the
    pipe wrench (the work-order list, `w`, shows it counting down to its finish)."""
    leak = next(r for r in desk.lookup.open_requests() if r.unit == "5栋0803")
    night.set(now - timedelta(minutes=40))
    order = desk.orders.create(leak.ref, "liu.jun", note="厨房水管漏水,带 PPR 管和生料带")
    desk.tools.issue("T01", "liu.jun", order=order.number)
    night.set(now - timedelta(minutes=25))
    tech.orders.arrive(order.number)
    night.set(now)


def charge(desk: Store, ref: str, item: str, qty: float = 1) -> None:
    # a site's own fee schedule without this item (or a broken one): no charge in the demo
    with contextlib.suppress(DeskError, ValueError):
        desk.charges.add_charge(ref, item, qty)


def _pending(store: Store, ref: str) -> list[Step]:
    detail = store.lookup.detail(ref)
    req = detail.request
    proc = store.procedures[req.category]
    conds = request_conditions(req.major, req.escalated_at is not None, req.channel, req.confidential)
    return [s for s in proc.checklist(req.branch_list, conds) if s.key not in detail.steps]


def tick_key(store: Store, ref: str, key: str) -> None:
    pending = _pending(store, ref)
    step = next((s for s in pending if s.key == key), None)
    if step is not None:
        _tick(store, ref, step)


def tick_some(desk: Store, ref: str, count: int, lead: Store | None = None) -> None:
    """Tick the next `count` steps in checklist order (the security lead ticks his own)."""
    for _ in range(count):
        pending = _pending(desk, ref)
        if not pending:
            return
        step = pending[0]
        who = lead if lead is not None and step.role == "security_lead" else desk
        _tick(who, ref, step)


def finish_required(store: Store, ref: str) -> None:
    pending = _pending(store, ref)
    for step in pending:
        if step.required:
            _tick(store, ref, step)


def _tick(store: Store, ref: str, step: Step) -> None:
    req = store.lookup.get_request(ref)
    now = f"{store.clock.now().astimezone(store.tz):%H:%M}"  # the demo's clock, not a time written here
    answer = (
        ANSWERS.get(step.key, "").format(now=now)
        or step.offered(
            "zh",
            unit=req.unit,
            phone=req.phone,
            name=req.requester_name,
            description=req.description,
            now=now,
        )
        or "已处理"
    )
    note = answer if step.input == "note" else ""
    value = answer if step.input == "value" else ""
    # a site's procedure may order its steps differently: the demo goes on without it
    with contextlib.suppress(DeskError):
        store.lifecycle.tick_step(ref, step.key, note=note, value=value)
