"""Markdown that leaves the desk, through a real GitHub-flavoured renderer (markdown-it-py's
gfm-like preset with linkify on, as GitHub autolinks): text from people stays text — no link from a
bare URL, www. or an e-mail address (37 of them in one handover once), no heading larger than the
report's own, no list, rule, quote, emphasis or HTML — and the supervisor's analysis sits in a
quoted block of its own."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.reports.handover import handover_sheet, render_handover
from liyuan_tui.reports.month import month_report
from liyuan_tui.reports.month_render import render
from liyuan_tui.reports.work_orders import order_sheet

SAID = "见 www.example.com、http://evil.cn/x 或 a@b.cn,_斜_ **粗** ~~删~~ [点](http://x) ![图](y) <b>h</b> &amp; 完"
ANALYSIS = "# 大标题\n- 列表项\n1. 有序项\n---\n> 引用\n看 www.example.com 和 a@b.cn\n===\n```\n代码"
FORBIDDEN = {
    "link_open",
    "image",
    "html_inline",
    "html_block",
    "hr",
    "ordered_list_open",
    "s_open",
    "fence",
    "code_block",
}


def gfm(text: str) -> list:
    md = MarkdownIt("gfm-like", {"linkify": True})
    assert md.options["linkify"] and "linkify" in md.get_active_rules()["core"]
    return md.parse(text)


def flat(tokens: list) -> list:
    return [t for tok in tokens for t in [tok, *(tok.children or [])]]


def people_text_stays_text(
    text: str, our_headings: set[str], expect=("www.example.com", "a@b.cn", "**粗**")
) -> list:
    tokens = gfm(text)
    kinds = [t.type for t in flat(tokens)]
    assert not FORBIDDEN & set(kinds), sorted(FORBIDDEN & set(kinds))
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert all(any(h.startswith(ours) for ours in our_headings) for h in headings), headings
    shown = "".join(t.content for t in flat(tokens) if t.type in ("text", "text_special"))
    assert all(x in shown for x in expect), [x for x in expect if x not in shown]  # as typed
    return tokens


@pytest.fixture
def hostile_night(staff, desk, clock):
    ref = desk.intake.create_request(
        category="repair", unit="3栋 www.x.cn", phone="13800000000", description=SAID, complete=True
    ).ref
    desk.lifecycle.escalate(ref, note=SAID)
    desk.lifecycle.set_major(ref)
    desk.lifecycle.mark_replied(ref)
    order = desk.orders.create(ref, "tech", note=SAID)
    clock.advance(3600)
    staff["cs_supervisor"].analyses.write("2026-11", ANALYSIS)
    return ref, order.number


def test_the_month_report_and_its_analysis(staff, procedures, hostile_night):
    report = month_report(staff["cs_supervisor"], "2026-11")
    t = Translator("zh")
    text = render(report, "md", t, procedures)
    ours = {t("report.title", month="2026-11")} | {
        line[3:] for line in text.splitlines() if line.startswith("## ")
    }
    tokens = people_text_stays_text(text, ours, ("www.example.com", "a@b.cn", "# 大标题"))
    quote = [i for i, tok in enumerate(tokens) if tok.type == "blockquote_open"]
    assert len(quote) == 1  # the analysis, in its own quoted block
    end = next(i for i in range(quote[0], len(tokens)) if tokens[i].type == "blockquote_close")
    inside = tokens[quote[0] : end]
    assert {t.type for t in inside} <= {"blockquote_open", "paragraph_open", "paragraph_close", "inline"}
    said = "".join(
        c.content for t in inside for c in (t.children or []) if c.type in ("text", "text_special")
    )
    assert "# 大标题" in said and "- 列表项" in said and "1. 有序项" in said and "---" in said


def test_the_handover_sheet(staff, desk, clock, procedures, hostile_night):
    from datetime import timedelta

    sheet = handover_sheet(desk, clock.now() - timedelta(hours=3))
    text = render_handover(sheet, Translator("zh"), procedures, desk.tz)
    ours = {line.lstrip("#").strip() for line in text.splitlines() if line.startswith(("# ", "## "))}
    people_text_stays_text(text, ours, ("www.x.cn",))


def test_the_work_order_sheet(staff, desk, clock, procedures, hostile_night):
    _, number = hostile_night
    text = order_sheet(desk.orders.detail(number), Translator("zh"), desk.tz, procedures, clock.now())
    people_text_stays_text(text, {f"派工单 {number}", "维修记录", "使用材料", "客户确认"})
