"""Known history for the report and handover screens' tests, written through the stores on the
FakeClock (as the desk would have written it). Each builder puts the clock back where it was."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@dataclass
class Month:
    """November 2026 (5 requests) and October (2), with the answers the screen must show."""

    repair: str  # Nov 3 09:00, replied in 2 min, a 50-yuan drain charge
    medical: str  # Nov 3 21:10, major, escalated, replied 2 min late
    security: str  # Nov 10 22:30, never replied: overdue ever since, escalated by the deadline ladder
    confidential: str  # Nov 15 10:00, complaint, replied 5 min late: counted, never named
    consultation: str  # Nov 20 14:00, by the supervisor, replied in a minute


def build_month(staff, clock) -> Month:
    desk, sup = staff["assistant"], staff["cs_supervisor"]
    back = clock.now()

    def log(when: datetime, store=desk, **fields) -> str:
        clock.set(when)
        return store.intake.create_request(phone="13911110000", complete=True, **fields).ref

    def reply(ref: str, when: datetime, store=desk) -> None:
        clock.set(when)
        store.lifecycle.mark_replied(ref)

    for day, minutes in ((8, 3), (20, 4)):  # October: two repairs, both in time
        ref = log(local(2026, 10, day, 10, 0), category="repair", unit=f"2栋0{day}01", description="灯不亮")
        reply(ref, local(2026, 10, day, 10, minutes))

    repair = log(
        local(2026, 11, 3, 9, 0),
        category="repair",
        unit="5栋0803",
        requester_name="吴太太",
        description="厨房水管漏水",
    )
    reply(repair, local(2026, 11, 3, 9, 2))
    desk.charges.add_charge(repair, "drain")
    medical = log(
        local(2026, 11, 3, 21, 10), category="medical", unit="3栋1202", major=True, description="老人胸口痛"
    )
    clock.set(local(2026, 11, 3, 21, 11))
    desk.lifecycle.escalate(medical)
    reply(medical, local(2026, 11, 3, 21, 22))
    security = log(
        local(2026, 11, 10, 22, 30), category="security", unit="地下车库 B2", description="车库有陌生人"
    )
    clock.set(local(2026, 11, 10, 22, 41))
    desk.ladder.record_deadline_alerts()  # the desk open that night: escalated automatically at the deadline
    confidential = log(
        local(2026, 11, 15, 10, 0),
        category="complaint",
        unit="9栋0909",
        confidential=True,
        requester_name="秘密先生",
        description="投诉保安收受好处",
    )
    reply(confidential, local(2026, 11, 15, 10, 15))
    consultation = log(
        local(2026, 11, 20, 14, 0),
        store=sup,
        category="consultation",
        unit="1栋0101",
        description="停车月卡怎么续费",
    )
    reply(consultation, local(2026, 11, 20, 14, 1), store=sup)
    clock.set(back)
    return Month(repair, medical, security, confidential, consultation)


@dataclass
class Night:
    """Tonight at 22:00 (the shift began at 18:00): what the handover must list."""

    before_shift: str  # 17:00, replied: still open, but did not come in during the shift
    overdue: str  # 21:40, never replied
    escalated: str  # 21:50, replied, escalated, nobody has acknowledged
    early: str  # 19:00, replied: came in during the shift


def build_night(staff, clock) -> Night:
    desk = staff["assistant"]
    back = clock.now()

    def log(when: datetime, **fields) -> str:
        clock.set(when)
        return desk.intake.create_request(phone="13911110000", complete=True, **fields).ref

    before = log(local(2026, 11, 27, 17, 0), category="repair", unit="6栋2101", description="卫生间灯不亮")
    clock.set(local(2026, 11, 27, 17, 3))
    desk.lifecycle.mark_replied(before)
    early = log(local(2026, 11, 27, 19, 0), category="other", unit="8栋1106", description="快递放在门岗")
    clock.set(local(2026, 11, 27, 19, 2))
    desk.lifecycle.mark_replied(early)
    overdue = log(
        local(2026, 11, 27, 21, 40), category="security", unit="地下车库 B2", description="车库有陌生人拉车门"
    )
    escalated = log(
        local(2026, 11, 27, 21, 50), category="disaster", unit="1栋 地下车库", description="车库入口水浸"
    )
    clock.set(local(2026, 11, 27, 21, 52))
    desk.lifecycle.mark_replied(escalated)
    desk.lifecycle.escalate(escalated, note="水位上涨")
    clock.set(back)
    return Night(before, overdue, escalated, early)
