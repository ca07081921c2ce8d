"""The supervisor's own analysis of a month: added to the automatic facts, kept with who wrote it
and when, in every export; and the summary's sentences say what they are about."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest

from liyuan_tui.domain.errors import PermissionDenied
from liyuan_tui.domain.i18n import Translator
from liyuan_tui.reports.month import month_report
from liyuan_tui.reports.month_render import render
from liyuan_tui.reports.month_summary import facts, summary_lines

ANALYSIS = "本月漏水报修集中在 5 栋:已请工程部排查立管。\n夜班 22–24 时回复偏慢,下月加派一人。"


@pytest.fixture
def november(staff, clock):
    """Two requests on the night of 27 November: a confidential consultation and a major repair."""
    desk = staff["assistant"]
    desk.intake.create_request(
        category="consultation", unit="2-1501", phone="139", confidential=True, complete=True
    )
    clock.advance(60)
    desk.intake.create_request(category="repair", unit="5-0803", phone="139", major=True, complete=True)
    clock.advance(3600)
    return staff


def test_the_analysis_is_kept_with_who_wrote_it_and_when_in_every_export(november, clock, procedures):
    sup = november["cs_supervisor"]
    written_at = clock.now()
    sup.analyses.write("2026-11", "初稿")
    clock.advance(600)
    sup.analyses.write("2026-11", ANALYSIS)  # the newest is the month's; the first stays on record
    report = month_report(sup, "2026-11")
    assert report.analysis.text == ANALYSIS and report.analysis.written_by == "sup"
    assert report.analysis.written_at == written_at + timedelta(minutes=10)
    for lang in ("zh", "en"):
        t = Translator(lang)
        md = render(report, "md", t, procedures)
        quoted = "> " + ANALYSIS.replace("\n", "\\\n> ")  # a quoted block of its own, a hard break a line
        assert f"## {t('report.analysis')}\n\n{quoted}\n" in md
        assert "2026-11-27 23:11" in md
        assert md.index(t("report.analysis")) < md.index(t("report.overview"))  # after the summary
        rows = list(csv.reader(io.StringIO(render(report, "csv", t, procedures).lstrip("\ufeff"))))
        assert [ANALYSIS] in rows and any("2026-11-27 23:11" in r[0] for r in rows if r)
        data = json.loads(render(report, "json", t, procedures))
        assert data["analysis"] == {
            "text": ANALYSIS,
            "written_by": "sup",
            "written_by_name": "sup",
            "written_at": "2026-11-27T23:11:00+08:00",
        }
    from sqlmodel import select

    from liyuan_tui.domain.models import Event, MonthAnalysis

    with sup.reading() as s:
        assert [e.kind for e in s.exec(select(Event))].count("analysis_written") == 2
        assert [a.text for a in s.exec(select(MonthAnalysis))] == ["初稿", ANALYSIS]


def test_an_empty_analysis_withdraws_it_and_only_supervisors_write(november, procedures):
    sup = november["cs_supervisor"]
    sup.analyses.write("2026-11", ANALYSIS)
    sup.analyses.write("2026-11", "   ")
    report = month_report(sup, "2026-11")
    assert report.analysis is None
    assert json.loads(render(report, "json", Translator("en"), procedures))["analysis"] is None
    november["manager"].analyses.write("2026-11", "经理补充")
    for role in ("assistant", "security_lead", "guard"):
        with pytest.raises(PermissionDenied):
            november[role].analyses.write("2026-11", "x")


def test_the_confidential_count_is_said_of_the_months_requests_not_of_the_sentence_before(november):
    """ "1 major case … 1 of them confidential" was said when the confidential request was another."""
    report = month_report(november["cs_supervisor"], "2026-11")
    keys = [f.key for f in facts(report)]
    assert keys.index("confidential") == keys.index("total") + 1
    lines = summary_lines(report, Translator("en"), str)
    total = next(i for i, line in enumerate(lines) if line.startswith("2 requests"))
    assert lines[total + 1] == "Confidential among them: 1, counted, details left out."


def test_liyuan_analysis_writes_it_from_the_command_line(november, cli_env, tmp_path):
    from cli_runner import run_liyuan

    path = tmp_path / "analysis.txt"
    path.write_text(ANALYSIS, encoding="utf-8")
    done = run_liyuan(dict(cli_env, LIYUAN_USER="sup"), "analysis", "--month", "2026-11", "--file", str(path))
    assert done.returncode == 0 and "2026-11" in done.stdout
    refused = run_liyuan(dict(cli_env, LIYUAN_USER="ann"), "analysis", "--month", "2026-11", "--text", "x")
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1
    shown = run_liyuan(dict(cli_env, LIYUAN_USER="sup"), "report", "--month", "2026-11")
    assert "> " + ANALYSIS.replace("\n", "\\\n> ") in shown.stdout
