"""`liyuan demo`: a fresh demo database with a realistic night, built without textual."""

from __future__ import annotations

import subprocess
import sys

from liyuan_tui.cli.demo import build_demo, demo_settings
from liyuan_tui.domain.config import load_settings
from liyuan_tui.domain.deadlines import Urgency, urgency
from liyuan_tui.store import Store


def test_the_demo_night_has_what_the_desk_should_show(clock):
    settings = demo_settings(load_settings({"user": "night.desk"}, env={}, config_files=()))
    assert settings.db_path.name == "demo.db"
    for _ in range(2):  # recreated every time, never added to
        build_demo(settings, clock)
    store = Store(settings.db_url, clock, "night.desk")
    me = store.staff.me()
    assert me.role == "assistant"
    roles = {s.role for s in store.staff.list_staff()}
    assert {"cs_supervisor", "manager", "security_lead", "guard", "assistant"} <= roles
    reqs = store.lookup.open_requests()
    now = clock.now()
    states = [urgency(r, now) for r in reqs]
    assert len({r.category for r in reqs}) >= 5
    assert Urgency.OVERDUE in states and Urgency.WARNING in states and Urgency.REPLIED in states
    [medical] = [r for r in reqs if r.major]
    assert medical.category == "medical" and "ambulance" in medical.branch_list
    detail = store.lookup.detail(medical.ref)
    assert "ambulance_call_120" in detail.steps and "ambulance_guide" not in detail.steps
    assert any(r.escalated_at for r in reqs)
    assert store.archive.residents_matching("3栋")
    assert len(store.lookup.search("")) > len(reqs)  # closed ones from earlier in the evening
    # The repair shop: the kitchen leak's technician on site with the pipe wrench, stock to use.
    [order] = store.orders.list_orders(open_only=True)
    assert (
        order.order.state == "on_site"
        and order.order.technician == "liu.jun"
        and order.request.unit == "5栋0803"
    )
    [wrench] = store.tools.list_tools(out=True)
    assert wrench.tool.code == "T01" and wrench.order == order.order.number
    assert {m.code for m in store.stock.materials()} == {"PIPE20", "TAPE"}
    store.close()


def test_every_time_in_the_demos_step_notes_is_the_time_the_step_was_done(clock):
    """A note like "22:41 120 已受理" must not contradict the request's own times."""
    import re

    settings = demo_settings(load_settings({"user": "night.desk"}, env={}, config_files=()))
    build_demo(settings, clock)
    store = Store(settings.db_url, clock, "night.desk")
    times = 0
    for req in store.lookup.search(""):
        for step in store.lookup.detail(req.ref).steps.values():
            for said in re.findall(r"\b\d{1,2}:\d{2}\b", f"{step.value} {step.note}"):
                assert said == f"{step.done_at.astimezone(store.tz):%H:%M}", (req.ref, step.step_key, said)
                times += 1
    assert times >= 3  # the 120 call, the manager told, the repairer sent
    store.close()


def test_demo_and_archive_do_not_import_textual():
    for module in ("liyuan_tui.cli.demo", "liyuan_tui.store.archive"):
        code = f"import sys, {module}; assert 'textual' not in sys.modules, {module!r}"
        subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_demo_goes_where_db_or_liyuan_db_names(clock, tmp_path):
    for flags, env in (({"db": str(tmp_path / "a.db")}, {}), ({}, {"LIYUAN_DB": str(tmp_path / "b.db")})):
        settings = demo_settings(load_settings({"user": "night.desk", **flags}, env=env, config_files=()))
        build_demo(settings, clock)
        assert settings.db_path.parent == tmp_path and settings.db_path.exists()
        build_demo(settings, clock)  # an earlier demo is replaced
    assert not (tmp_path / "xdg-data" / "liyuan" / "demo.db").exists()


def test_the_demo_never_replaces_a_real_database_or_goes_to_the_sites(clock, tmp_path):
    import pytest

    from liyuan_tui.domain.errors import DeskError

    real = tmp_path / "desk.db"
    st = Store(f"sqlite:///{real}", clock, "sup", create=True)
    st.staff.ensure_identity()
    st.close()
    before = real.read_bytes()
    with pytest.raises(DeskError) as refused:
        build_demo(
            demo_settings(load_settings({"user": "x", "db": str(real)}, env={}, config_files=())), clock
        )
    assert refused.value.key == "error.demo_not_a_demo" and real.read_bytes() == before
    config = tmp_path / "config.toml"
    config.write_text(f'db = "{real}"\n', encoding="utf-8")
    settings = demo_settings(load_settings({"user": "x"}, env={}, config_files=(config,)))
    assert settings.db_path.name == "demo.db" and settings.db_path != real  # a site's config: never
