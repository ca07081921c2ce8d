"""Helpers for the back-office tests: a repair logged and taken through to its close, as the desk
would (reply, the required steps, the outcome)."""

from __future__ import annotations


def log_repair(store, unit: str = "5栋0803", kind: str = "water", **extra):
    fields = dict(
        category="repair",
        unit=unit,
        phone="13911110803",
        requester_name="吴太太",
        description="厨房水管漏水",
        fault_kind=kind,
        complete=True,
    )
    fields.update(extra)
    return store.intake.create_request(**fields)


def close_repair(store, ref: str, kind: str = "resolved", handed_to: str = ""):
    req = store.lookup.get_request(ref)
    if req.replied_at is None:
        store.lifecycle.mark_replied(ref)
    done = store.lookup.detail(ref).steps
    for key, value in (("fault", "厨房水管接头"), ("dispatch", "维修工 老杨"), ("record", "")):
        if key not in done:
            store.lifecycle.tick_step(ref, key, value=value)
    return store.lifecycle.close_request(ref, "已修好", kind=kind, handed_to=handed_to)
