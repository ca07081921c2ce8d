"""A month report as JSON (every figure, for other programs), Markdown (reads well printed) and
CSV (UTF-8 with BOM so Excel keeps the Chinese). Pure: report in, text out. The dict for JSON is
month_json.py's, the tables Markdown and CSV share are month_tables.py's.

Confidential requests are already stripped to category and figures by the month report; nothing
here adds a detail back.
"""

from __future__ import annotations

import csv
import io

from liyuan_tui.domain.i18n import Translator
from liyuan_tui.domain.procedures import Procedures
from liyuan_tui.domain.safe_text import safe_json

from .long_work import collector_paused
from .month import MonthReport
from .month_json import analysis_signature, figures_dict, local_iso, report_dict
from .month_json import when_text as _when
from .month_summary import summary_lines
from .month_tables import Table, tables
from .tables import Namer, Said, csv_rows, md_line, md_quote, md_table, md_text

FORMATS = ("md", "csv", "json", "xlsx")
BOM = "\ufeff"


def render(report: MonthReport, fmt: str, t: Translator, procedures: Procedures) -> str | bytes:
    """The report as text (md, csv, json) or, for xlsx, a workbook's bytes."""
    with collector_paused():
        return _render(report, fmt, t, Namer(t, procedures))


def _render(report: MonthReport, fmt: str, t: Translator, namer: Namer) -> str | bytes:
    if fmt == "xlsx":
        from .xlsx import month_workbook

        return month_workbook(report, t, namer)
    if fmt == "json":
        # No indent: json's C encoder only runs without one (several times faster on long lists).
        return safe_json(report_dict(report, t, namer))
    if fmt == "csv":
        return render_csv(report, t, namer)
    return render_markdown(report, t, namer)


# --- Markdown ---------------------------------------------------------------------------------


def render_markdown(report: MonthReport, t: Translator, namer: Namer) -> str:
    cur, tz = report.current, report.tz
    out = [
        f"# {t('report.title', month=str(cur.month))}",
        "",
        t(
            "report.period",
            start=_when(cur.start, tz),
            end=_when(cur.end, tz),
            tz=str(tz),
            generated=_when(report.generated_at, tz),
        ),
        "",
        f"## {t('report.summary')}",
        "",
    ]
    out += [f"- {md_text(line)}" for line in summary_lines(report, t, namer.category)]
    if report.analysis is not None:  # the supervisor's own words, as written, with who and when
        # In a quoted block of its own, each line as written (a hard break at its end): nothing in
        # it becomes a heading, a list, a rule or a link of the report's; then the signature.
        lines = [md_line(line) for line in report.analysis.text.splitlines()] or [""]
        out += [
            "",
            f"## {t('report.analysis')}",
            "",
            "\n".join(md_quote(lines)),
            "",
            f"*{md_text(analysis_signature(report, t))}*",
        ]
    for title, header, rows in tables(report, t, namer):
        out += ["", f"## {title}", ""]
        out += md_table(header, rows) if rows else [t("report.none")]
    return "\n".join(out) + "\n"


# --- CSV --------------------------------------------------------------------------------------


def render_csv(report: MonthReport, t: Translator, namer: Namer) -> str:
    """Sections one under another, each a title row, a header row and its rows; seconds and
    shares as plain numbers so Excel can compute with them. Starts with a BOM for Excel."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    # Every cell through csv_cell: a unit like =HYPERLINK(…) is text to Excel, never a formula.
    w.writerows(csv_rows([[t("report.title", month=str(report.current.month))], [t("report.summary")]]))
    w.writerows(csv_rows([line] for line in summary_lines(report, t, namer.category)))
    if report.analysis is not None:
        w.writerow([])
        w.writerows(
            csv_rows([[t("report.analysis")], [Said(report.analysis.text)], [analysis_signature(report, t)]])
        )
    for title, header, rows in tables(report, t, namer, numeric=True):
        w.writerow([])
        w.writerows(csv_rows([[title], header]))
        w.writerows(csv_rows(rows))
    return BOM + buf.getvalue()


__all__ = [
    "BOM",
    "FORMATS",
    "Table",
    "analysis_signature",
    "figures_dict",
    "local_iso",
    "render",
    "render_csv",
    "render_markdown",
    "report_dict",
    "tables",
]
