"""The site's canned answers (话术) as data — loaded, checked, replaced by a site's own files and
searched in either language — and linked calls grouped under their incident's first call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from liyuan_tui.domain.answers import AnswersError, load_answers
from liyuan_tui.domain.errors import ValidationError
from liyuan_tui.domain.incidents import grouped
from liyuan_tui.domain.models import Request

ANSWER = """
[[answers]]
key = "{key}"
categories = [{cats}]
title = {{ zh = "{title}", en = "Title" }}
text = {{ zh = "内容", en = "Text" }}
"""


def answer_file(key="parking", cats='"consultation"', title="停车收费"):
    return ANSWER.format(key=key, cats=cats, title=title)


def test_the_shipped_answers_are_examples_and_each_category_they_name_exists(procedures):
    answers = load_answers(None, procedures)
    assert answers.example and len(answers) >= 5
    assert {c for a in answers for c in a.categories} <= set(procedures)


def test_a_site_file_replaces_the_shipped_one_of_its_name_and_adds_new_ones(tmp_path, procedures):
    (tmp_path / "consultation.toml").write_text(answer_file(), encoding="utf-8")
    (tmp_path / "parking.toml").write_text(answer_file("night-parking", "", "夜间停车"), encoding="utf-8")
    answers = load_answers(tmp_path, procedures)
    keys = {a.key for a in answers}
    assert {"parking", "night-parking"} <= keys and "renovation" not in keys  # replaced
    assert "ten-minutes" in keys  # the other shipped files stay
    assert not answers.get("parking").example


@pytest.mark.parametrize(
    "text, problem",
    [
        ("answers = [", "not valid TOML"),
        (answer_file(cats='"nonsense"'), "unknown categor"),
        (answer_file(key="Bad Key"), "key must be"),
        (answer_file(title="响铃\\u001b[2J"), "control character"),
        (answer_file() + answer_file(), "defined twice"),
        ('[[answers]]\nkey = "x"\ntitle = { zh = "只有中文" }\ntext = { zh = "a", en = "b" }', "title needs"),
        ("colour = 1", "unknown setting"),
    ],
)
def test_a_broken_answers_file_is_refused_naming_file_answer_and_problem(tmp_path, procedures, text, problem):
    (tmp_path / "site.toml").write_text(text, encoding="utf-8")
    with pytest.raises(AnswersError) as err:
        load_answers(tmp_path, procedures)
    assert problem in str(err.value) and "site.toml" in str(err.value)


def test_a_missing_folder_is_refused(tmp_path, procedures):
    with pytest.raises(AnswersError):
        load_answers(tmp_path / "nowhere", procedures)


def test_search_finds_every_word_in_either_language_the_categorys_own_first(procedures):
    answers = load_answers(None, procedures)
    assert [a.key for a in answers.search("装修")] == ["renovation"]
    assert [a.key for a in answers.search("RENOVATING permit")] == ["renovation"]
    found = [a.key for a in answers.search("", "repair")]
    assert set(found[:3]) == {"repair-on-the-way", "water-off", "fee-first"}  # the category's own
    assert "renovation" not in found  # another category's
    assert "ten-minutes" in found  # an answer for every category
    assert answers.search("no such words anywhere") == []
    with pytest.raises(ValidationError) as err:
        answers.resolve("nope")
    assert err.value.field == "answer"


T0 = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


def req(ref: str, minutes: int, incident: str | None = None) -> Request:
    at = T0 + timedelta(minutes=minutes)
    return Request(ref=ref, ref_month="202611", ref_seq=1, received_at=at, reply_due_at=at, incident=incident)


def test_linked_calls_are_listed_under_their_first_call_where_the_most_urgent_falls():
    reqs = [
        req("A", 0),
        req("B", 1),
        req("C", 2, incident="B"),
        req("D", -5, incident="B"),  # the most urgent call of B's incident
        req("E", 3, incident="Z"),  # its first call is not listed (closed): still together
        req("F", 4, incident="Z"),
    ]
    listed = grouped(reqs, key=lambda r: r.received_at)
    assert [(r.ref, under) for r, under in listed] == [
        ("B", False),
        ("D", True),
        ("C", True),
        ("A", False),
        ("E", True),
        ("F", True),
    ]


def test_the_queue_reuses_a_requests_sort_key_until_the_request_changes():
    """views.ordered with the queue's own `keys`: the same order as worked out afresh, whatever the
    clock says; a request read again (a new object) is placed by its new deadline."""

    from liyuan_tui.domain.models import Staff
    from liyuan_tui.domain.views import OrderKeys, ordered

    viewer = Staff(login="ann", name="Ann", role="assistant")
    reqs = [req("A", 0), req("B", 5), req("C", -3)]
    keys: OrderKeys = {}
    first = ordered(reqs, viewer, T0, keys=keys)
    assert [r.ref for r in first] == ["C", "A", "B"] == [r.ref for r in ordered(reqs, viewer, T0)]
    assert set(keys) == {"A", "B", "C"}
    later = T0 + timedelta(hours=3)  # everything overdue now: the order holds (the earliest deadline first)
    assert [r.ref for r in ordered(reqs, viewer, later, keys=keys)] == ["C", "A", "B"]
    moved = req("B", -10)  # B read again, its deadline earlier than any
    again = ordered([reqs[0], moved, reqs[2]], viewer, later, keys=keys)
    assert [r.ref for r in again] == ["B", "C", "A"]
    assert keys["B"][0] is moved
