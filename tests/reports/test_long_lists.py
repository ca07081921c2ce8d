"""What makes a long month report fast must not change what it says: a column of cells escaped at
once (md_texts, md_table) gives the text md_text gives each cell, whatever the cells hold; the
garbage collector paused for a report is resumed as it was, whatever happens."""

from __future__ import annotations

import gc

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from liyuan_tui.reports.long_work import collector_paused
from liyuan_tui.reports.tables import Said, md_table, md_text, md_texts

# Text a person or a file may give, dense in what Markdown, a linkifier or a terminal would read.
PIECES = list("aZ09_&@:./;,-=+'\"#é中 \\*`|~<>[]!\n\t\x1b\u3000\xa0\u200b") + [
    "mailto", "TEL", "www.", "http://", "&amp;", "&#1;", "  ", "a@b.cn", "\ud800",
]  # fmt: skip
said = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
cells = st.one_of(said, said.map(Said))


def one_by_one(header: list, rows: list[list]) -> list[str]:
    """md_table as it was written first: md_text cell by cell, padded by terminal cells."""
    grid = [[md_text(c) for c in row] for row in [header, *rows]]
    widths = [max(3, *(cell_len(r[i]) for r in grid)) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "| " + " | ".join(c + " " * (w - cell_len(c)) for c, w in zip(row, widths, strict=True)) + " |"

    return [line(grid[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, grid[1:])]


@given(st.lists(said, max_size=30))
def test_a_column_escaped_at_once_reads_as_each_cell_alone(texts):
    assert md_texts(texts) == [md_text(x) for x in texts]


@given(
    st.integers(1, 4).flatmap(
        lambda n: st.tuples(
            st.lists(cells, min_size=n, max_size=n),
            st.lists(st.lists(cells, min_size=n, max_size=n), max_size=12),
        )
    )
)
def test_a_table_reads_as_its_cells_escaped_one_by_one(table):
    header, rows = table
    assert md_table(header, rows) == one_by_one(header, rows)


def test_cells_that_are_not_text_are_shown_as_themselves():
    rows = [[1, True], [1.0, None], ["1", "True"]]
    assert md_table(["a", "b"], rows) == one_by_one(["a", "b"], rows)


def test_the_collector_is_resumed_after_the_report_even_when_it_fails():
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), collector_paused():
        assert not gc.isenabled()
        _ = 1 / 0
    assert gc.isenabled()


def test_a_collector_paused_by_someone_else_stays_paused():
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
