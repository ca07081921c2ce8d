"""The month report's quality section (提高上门服务质量) as a dict and as tables: the figures
(store/figures/quality.py) beside the previous month's, and satisfaction by category."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.store.figures.quality import QualityFigures, Satisfaction

from .tables import Namer


def quality_dict(q: QualityFigures) -> dict[str, Any]:
    return {
        "calls": q.calls,
        "reached": q.reached,
        "reach_rate": q.reach_rate,
        "followups_done": q.reached,
        "followups_due": q.due,
        "due_done": q.due_done,
        "due_on_time": q.due_on_time,
        "still_owed": q.still_owed,
        "satisfaction_mean": q.satisfaction.mean,
        "scored": q.satisfaction.scored,
        "satisfaction_by_category": {
            k: {"scored": v.scored, "mean": v.mean} for k, v in q.by_category.items()
        },
        "solved_asked": q.solved_asked,
        "solved": q.solved,
        "solved_share": q.solved_share,
        "repairs": q.repairs,
        "repeat_repairs": q.repeats,
        "repeat_rate": q.repeat_rate,
    }


def quality_tables(
    cur: QualityFigures,
    prev: QualityFigures,
    t: Translator,
    namer: Namer,
    cmp_head: list[str],
    share: Callable[[float | None], str],
    change: Callable[[int, int], str],
) -> list[tuple[str, list[str], list[list[str]]]]:
    """The section as tables (Markdown, CSV and the screen): the figures beside the previous month,
    and satisfaction by category."""

    def mean(x: Satisfaction) -> str:
        return "" if x.mean is None else f"{x.mean:.2f}"

    rows = [
        ("report.q_calls", str(cur.calls), str(prev.calls), change(cur.calls, prev.calls)),
        ("report.q_reached", str(cur.reached), str(prev.reached), change(cur.reached, prev.reached)),
        ("report.q_reach_rate", share(cur.reach_rate), share(prev.reach_rate), ""),
        ("report.q_due", str(cur.due), str(prev.due), change(cur.due, prev.due)),
        ("report.q_due_done", str(cur.due_done), str(prev.due_done), ""),
        ("report.q_due_on_time", str(cur.due_on_time), str(prev.due_on_time), ""),
        ("report.q_still_owed", str(cur.still_owed), str(prev.still_owed), ""),
        ("report.q_satisfaction", mean(cur.satisfaction), mean(prev.satisfaction), ""),
        ("report.q_solved_share", share(cur.solved_share), share(prev.solved_share), ""),
        ("report.q_repairs", str(cur.repairs), str(prev.repairs), change(cur.repairs, prev.repairs)),
        ("report.q_repeats", str(cur.repeats), str(prev.repeats), change(cur.repeats, prev.repeats)),
        ("report.q_repeat_rate", share(cur.repeat_rate), share(prev.repeat_rate), ""),
    ]
    overview = [[t(key), *values] for key, *values in rows]
    by_cat = [
        [namer.category(k), str(v.scored), mean(v), mean(prev.by_category.get(k, Satisfaction()))]
        for k, v in cur.by_category.items()
    ]
    return [
        (t("report.quality"), [t("report.figure")] + cmp_head, overview),
        (
            t("report.q_by_category"),
            [t("column.category"), t("report.q_scored"), t("report.q_mean"), t("report.previous_month")],
            by_cat,
        ),
    ]
