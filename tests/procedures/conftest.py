"""Fixtures for the procedure and paid-service tests: walking a checklist as the staff would."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable

import pytest
from cli_runner import run_liyuan

from liyuan_tui.domain.procedures import Step, request_conditions
from liyuan_tui.store import Store

PHONE = "13800138000"


def answer(step: Step) -> dict[str, str]:
    """What a person types for a step that asks for something."""
    if step.input == "value":
        return {"value": step.choices[0] if step.choices else f"{step.key} value"}
    if step.input == "note":
        return {"note": f"{step.key} note"}
    return {}


def pending(store: Store, ref: str, everything: bool = False) -> list[Step]:
    """The steps of the request's checklist not done yet, in checklist order: the required ones,
    or with `everything` the optional ones too."""
    detail = store.lookup.detail(ref)
    req = detail.request
    proc = store.procedure(req.category)
    conds = request_conditions(req.major, req.escalated_at is not None, req.channel, req.confidential)
    return [
        s
        for s in proc.checklist(req.branch_list, conds)
        if (s.required or everything) and s.key not in detail.steps
    ]


@pytest.fixture
def walk(staff) -> Callable[..., list[str]]:
    """walk(ref, skip=(), everything=False) ticks every required step still open (or every step),
    in order, each by a person of the step's role (a guard ticks the guard's steps …); returns the
    keys it ticked."""

    def run(ref: str, skip: Iterable[str] = (), everything: bool = False) -> list[str]:
        ticked: list[str] = []
        for step in pending(staff["assistant"], ref, everything):
            if step.key in skip:
                continue
            staff[step.role].lifecycle.tick_step(ref, step.key, **answer(step))
            ticked.append(step.key)
        return ticked

    return run


@pytest.fixture
def log(desk) -> Callable[..., str]:
    """log(category, **fields) → the ref of a new request logged at the desk."""

    def make(category: str, **fields) -> str:
        fields.setdefault("unit", "3-1201")
        fields.setdefault("phone", PHONE)
        return desk.intake.create_request(category=category, complete=True, **fields).ref

    return make


@pytest.fixture
def liyuan(cli_desk) -> Callable[..., subprocess.CompletedProcess]:
    """liyuan(*args, env=…) runs the real command (in-process) on the test database."""

    def run(*args: str, **env: str) -> subprocess.CompletedProcess:
        return run_liyuan({**cli_desk, **env}, *args)

    return run


@pytest.fixture
def walked(desk, log, walk) -> Callable[..., tuple[str, list[str]]]:
    """walked(category, branch=…, skip=…, **fields) → (ref, steps ticked) of a request logged,
    replied to and walked through every required step (a medical one through `branch`)."""

    def make(
        category: str, *, branch: str = "ambulance", skip: Iterable[str] = (), **fields
    ) -> tuple[str, list[str]]:
        ref = log(category, **fields)
        desk.lifecycle.mark_replied(ref)
        if desk.procedure(category).branches:
            desk.lifecycle.choose_branch(ref, branch)
        return ref, walk(ref, skip=skip)

    return make
