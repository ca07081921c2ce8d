"""The site's canned answers (话术) as data: what the desk says to a caller, by category, with the
company rule each rests on (4.3: "按公司有关规定立即予以解答" — answer at once by the company's rules,
never guess). Loaded from `data/answers/*.toml` and a site's own folder (LIYUAN_ANSWERS: a file of
the same name replaces the shipped one, a new name adds to them), searched at the desk. On a site
they are rules like the procedures: what a supervisor published into the database is in force
(store/rules.py), a user's own folder only on a personal database.

The shipped files are examples: a site writes its own from its rules.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ValidationError
from .procedures import DataFileError, Text

_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")
_TOP_KEYS = {"example", "answers", "note"}
_ANSWER_KEYS = {"key", "categories", "title", "text", "rule", "words"}
MAX_ANSWER = 2000  # characters of an answer's text (what a person reads out)


class AnswersError(DataFileError):
    """An answers file the desk cannot use: names the file, the answer and the problem."""

    entry_kind = "answer"


@dataclass(frozen=True)
class Answer:
    """One canned answer: a title to find it by, what to say, the rule it rests on, and the
    categories it is for (none: every category)."""

    key: str
    title: Text
    text: Text
    rule: Text | None = None
    categories: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # extra words to find it by (拼音, synonyms)
    example: bool = False
    source: str = ""

    def fits(self, category: str | None) -> bool:
        return not category or not self.categories or category in self.categories

    def haystack(self) -> str:
        parts = [self.key, self.title.zh, self.title.en, self.text.zh, self.text.en, *self.words]
        if self.rule is not None:
            parts += [self.rule.zh, self.rule.en]
        return "\n".join(parts).lower()


class Answers:
    """Every canned answer, in file order; find one by key, search by words and category."""

    def __init__(self, answers: Iterable[Answer]) -> None:
        self._list = list(answers)
        self._by_key = {a.key: a for a in self._list}

    def __iter__(self) -> Iterator[Answer]:
        return iter(self._list)

    def __len__(self) -> int:
        return len(self._list)

    @property
    def example(self) -> bool:
        return any(a.example for a in self._list)

    def get(self, key: str) -> Answer | None:
        return self._by_key.get(key)

    def resolve(self, key: str) -> Answer:
        """The answer by its key, or a refusal naming the field (`answer`)."""
        answer = self._by_key.get((key or "").strip())
        if answer is None:
            raise ValidationError("error.answer_unknown", "answer", value=key)
        return answer

    def search(self, words: str = "", category: str | None = None) -> list[Answer]:
        """Answers for `category` (and those for every category) holding every word typed, in
        either language; the category's own first, then those whose title matches."""
        needles = [w.lower() for w in (words or "").split() if w]
        found = [a for a in self._list if a.fits(category) and all(n in a.haystack() for n in needles)]

        def rank(a: Answer) -> tuple[int, int]:
            own = 0 if category and category in a.categories else 1
            titled = 0 if needles and all(n in (a.title.zh + a.title.en).lower() for n in needles) else 1
            return own, titled

        return sorted(found, key=rank)


def shipped_folder() -> Any:
    return resources.files("liyuan_tui.data") / "answers"


def answer_texts(site_dir: Path | None = None) -> dict[str, tuple[str, str]]:
    """The answer files by name, as (where it came from, TOML text): the shipped ones with a
    site's own folder over them (a file of the same name replaces the shipped one)."""
    files: dict[str, tuple[str, str]] = {}
    for entry in shipped_folder().iterdir():
        if entry.name.endswith(".toml"):
            files[entry.name] = (f"answers/{entry.name}", entry.read_text(encoding="utf-8"))
    if site_dir is not None:
        try:
            if not site_dir.is_dir():
                raise AnswersError(str(site_dir), "answers folder does not exist")
            for path in sorted(site_dir.glob("*.toml")):
                files[path.name] = (str(path), path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise AnswersError(str(site_dir), f"cannot be read: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise AnswersError(str(site_dir), "a file in it is not UTF-8 text") from None
    return files


def answers_from(files: dict[str, tuple[str, str]], categories: Iterable[str] | None = None) -> Answers:
    """The answers of `files` (answer_texts); `categories`: the keys an answer may name."""
    known = set(categories) if categories is not None else None
    answers: list[Answer] = []
    for _name, (source, text) in sorted(files.items()):
        for answer in parse_answers(text, source, known):
            if any(a.key == answer.key for a in answers):
                raise AnswersError(source, "is defined twice", answer.key)
            answers.append(answer)
    return Answers(answers)


def load_answers(site_dir: Path | None = None, categories: Iterable[str] | None = None) -> Answers:
    """The shipped answers with a site's own files; `categories`: the keys an answer may name."""
    return answers_from(answer_texts(site_dir), categories)


def parse_answers(text: str, source: str, categories: set[str] | None = None) -> list[Answer]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AnswersError(source, f"not valid TOML: {exc}") from exc
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise AnswersError(source, f"unknown setting(s): {', '.join(sorted(unknown))}")
    example = data.get("example", False)
    if not isinstance(example, bool):
        raise AnswersError(source, "example must be true or false")
    raw = data.get("answers", [])
    if not isinstance(raw, list):
        raise AnswersError(source, "answers must be [[answers]] tables")
    return [_answer(item, source, i, example, categories) for i, item in enumerate(raw, 1)]


def _answer(raw: Any, source: str, index: int, example: bool, categories: set[str] | None) -> Answer:
    from .safe_text import first_control

    if not isinstance(raw, dict):
        raise AnswersError(source, f"answers #{index} must be a table")
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        raise AnswersError(source, "key must be lower-case ASCII letters, digits, - or _", f"#{index}")
    unknown = set(raw) - _ANSWER_KEYS
    if unknown:
        raise AnswersError(source, f"unknown setting(s): {', '.join(sorted(unknown))}", key)
    texts: dict[str, Text | None] = {}
    for what in ("title", "text", "rule"):
        value = raw.get(what)
        parsed = Text.parse(value) if value is not None else None
        if parsed is None and (value is not None or what != "rule"):  # a rule is optional
            raise AnswersError(source, f"{what} needs both zh and en text", key)
        for lang in ("zh", "en"):
            said = getattr(parsed, lang, "")
            if said and first_control(said, allow="\n") is not None:
                raise AnswersError(source, f"{what} ({lang}) holds a control character", key)
            if len(said) > MAX_ANSWER:
                raise AnswersError(source, f"{what} ({lang}) is longer than {MAX_ANSWER} characters", key)
        texts[what] = parsed
    cats = raw.get("categories", [])
    if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
        raise AnswersError(source, "categories must be a list of category keys", key)
    if categories is not None and (strange := [c for c in cats if c not in categories]):
        raise AnswersError(source, f"unknown categor(ies): {', '.join(strange)}", key)
    words = raw.get("words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise AnswersError(source, "words must be a list of strings", key)
    return Answer(
        key,
        texts["title"],  # type: ignore[arg-type]
        texts["text"],  # type: ignore[arg-type]
        texts["rule"],
        tuple(cats),
        tuple(w.strip() for w in words if w.strip()),
        example,
        source,
    )
