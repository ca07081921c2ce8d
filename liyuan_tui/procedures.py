"""The company procedure as data: loads and validates `procedures/<category>.toml`.

Each file is one category's checklist. A site replaces or adds files in its own folder
(LIYUAN_PROCEDURES) without touching code; a malformed file is refused with an error naming the
file, the step and the problem.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from .models import ROLES

CATEGORY_ORDER = ("medical", "repair", "complaint", "consultation", "security", "disaster", "other")
INPUTS = ("none", "note", "value", "confirm")
CONDITIONS = ("major", "ordinary", "escalated", "written", "oral", "confidential")
# Every procedure must have this step, applying to major requests: a major request cannot close
# until the company manager has been informed (4.2.2).
MANAGER_INFORMED = "manager_informed"
DEFAULT_REPLY_MINUTES = 10


class DataFileError(ValueError):
    """A data file a site may edit (procedures, fees) that the desk cannot use: names the file,
    the entry in it and the problem, so the site's IT person can fix it without reading code."""

    entry_kind = "entry"

    def __init__(self, source: str, problem: str, entry: str | None = None) -> None:
        self.source, self.problem, self.entry = source, problem, entry
        where = f"{source}: {self.entry_kind} '{entry}'" if entry else source
        super().__init__(f"{where}: {problem}")


class ProcedureError(DataFileError):
    """A procedure file the desk cannot use: names the file, the step and the problem."""

    entry_kind = "step"

    def __init__(self, source: str, problem: str, step: str | None = None) -> None:
        super().__init__(source, problem, step)
        self.step = step


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @classmethod
    def parse(cls, value: Any) -> Text | None:
        """`{ zh = "…", en = "…" }` from a data file, or None unless both texts are there."""
        if not isinstance(value, dict) or not all(isinstance(value.get(k), str) and value[k].strip() for k in ("zh", "en")):
            return None
        return cls(value["zh"].strip(), value["en"].strip())


@dataclass(frozen=True)
class Branch:
    key: str
    name: Text


@dataclass(frozen=True)
class Step:
    key: str
    text: Text
    role: str
    required: bool = False
    input: str = "none"  # none | note | value | confirm
    prompt: Text | None = None  # what to ask for when input is note or value
    branch: str | None = None  # the step belongs to this branch only
    when: str | None = None  # the step applies only when this condition holds
    first: bool = False  # must be done before any step that is not `first`
    choices: tuple[str, ...] = ()  # suggested values (departments, …)
    after: tuple[str, ...] = ()  # steps that must be done before this one
    gate: bool = False  # no later step of its branch (or, outside branches, no later step) before it

    @property
    def wants_input(self) -> bool:
        return self.input in ("note", "value")


@dataclass(frozen=True)
class Procedure:
    key: str
    letter: str
    name: Text
    reply_limit: timedelta
    steps: tuple[Step, ...]
    branches: tuple[Branch, ...] = ()
    branch_required: bool = False
    seed_section: str = ""
    baseline: Text | None = None  # set when the file is a baseline a site should replace
    refers_to: Text | None = None  # the company's own procedure this checklist stands for, by name
    source: str = ""
    _by_key: Mapping[str, Step] = field(default_factory=dict, repr=False, compare=False)

    def step(self, key: str) -> Step | None:
        return self._by_key.get(key)

    def branch(self, key: str) -> Branch | None:
        return next((b for b in self.branches if b.key == key), None)

    def applies(self, step: Step, branches: Iterable[str], conditions: Iterable[str]) -> bool:
        """Whether a step is part of this request's checklist, given its branches and conditions."""
        if step.branch is not None and step.branch not in set(branches):
            return False
        if step.when is not None and step.when not in set(conditions):
            return False
        return True

    def checklist(self, branches: Iterable[str], conditions: Iterable[str]) -> list[Step]:
        """The steps that apply, in file order, with the chosen branches' steps in the order chosen."""
        chosen = list(dict.fromkeys(branches))
        conds = set(conditions)
        first_branch_at = next((i for i, s in enumerate(self.steps) if s.branch), len(self.steps))
        before = [s for s in self.steps[:first_branch_at] if self.applies(s, chosen, conds)]
        by_branch = [s for b in chosen for s in self.steps if s.branch == b and self.applies(s, chosen, conds)]
        after = [s for s in self.steps[first_branch_at:] if s.branch is None and self.applies(s, chosen, conds)]
        return before + by_branch + after

    def missing_required(self, branches: Iterable[str], conditions: Iterable[str], done: Iterable[str]) -> list[Step]:
        done_set = set(done)
        return [s for s in self.checklist(branches, conditions) if s.required and s.key not in done_set]

    def blocking(self, step: Step, branches: Iterable[str], conditions: Iterable[str], done: Iterable[str]) -> list[Step]:
        """The steps still open that must be done before `step` can be ticked: every `first` step
        (unless `step` is one), the steps named in its `after`, and every gate above it in its branch."""
        done_set = set(done)
        listed = self.checklist(branches, conditions)
        return [
            s for s in listed
            if s.key not in done_set
            and ((s.first and not step.first) or s.key in step.after or self._gates(s, step))
        ]

    def _gates(self, gate: Step, step: Step) -> bool:
        """Whether `gate` stands before `step` and closes the way to it (same branch, or no branch)."""
        if not gate.gate or gate.key == step.key or gate.branch not in (None, step.branch):
            return False
        order = {s.key: i for i, s in enumerate(self.steps)}
        return order[gate.key] < order[step.key]


def named_steps(steps: Iterable[Step], say_what: int = 3) -> Text:
    """Steps for a message that must name them, in both languages: "key (what it says)" for a
    few, bare keys for a longer list (the checklist beside the message says the rest)."""
    listed = list(steps)
    if len(listed) > say_what:
        keys = [s.key for s in listed]
        return Text("、".join(keys), ", ".join(keys))
    return Text("、".join(f"{s.key}({s.text.zh})" for s in listed),
                ", ".join(f"{s.key} ({s.text.en})" for s in listed))


class Procedures(Mapping[str, Procedure]):
    """Every category's procedure, by key; also finds a category by letter or name."""

    def __init__(self, procedures: Iterable[Procedure]) -> None:
        items = sorted(procedures, key=_category_sort_key)
        self._by_key = {p.key: p for p in items}

    def __getitem__(self, key: str) -> Procedure:
        return self._by_key[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_key)

    def __len__(self) -> int:
        return len(self._by_key)

    def resolve(self, value: str) -> Procedure | None:
        """A category from its key, letter (A–G), Chinese or English name; None if unknown."""
        v = value.strip()
        if v in self._by_key:
            return self._by_key[v]
        low = v.lower()
        for p in self._by_key.values():
            if low in (p.key.lower(), p.letter.lower(), p.name.en.lower()) or v == p.name.zh:
                return p
        return None

    def reply_limit(self, key: str) -> timedelta:
        p = self._by_key.get(key)
        return p.reply_limit if p else timedelta(minutes=DEFAULT_REPLY_MINUTES)


def request_conditions(major: bool, escalated: bool, channel: str, confidential: bool) -> set[str]:
    """The conditions a request meets, for steps with `when`."""
    conds = {"major" if major else "ordinary", "written" if channel == "written" else "oral"}
    if escalated:
        conds.add("escalated")
    if confidential:
        conds.add("confidential")
    return conds


def _category_sort_key(p: Procedure) -> tuple[int, str]:
    return (CATEGORY_ORDER.index(p.key) if p.key in CATEGORY_ORDER else len(CATEGORY_ORDER), p.letter)


def shipped_folder() -> Traversable:
    return resources.files("liyuan_tui.data") / "procedures"


def load_procedures(site_dir: Path | None = None) -> Procedures:
    """The shipped procedures, with a site's own files (same name replaces, new name adds)."""
    files: dict[str, tuple[str, str]] = {}
    for entry in shipped_folder().iterdir():
        if entry.name.endswith(".toml"):
            files[entry.name] = (f"procedures/{entry.name}", entry.read_text(encoding="utf-8"))
    if site_dir is not None:
        if not site_dir.is_dir():
            raise ProcedureError(str(site_dir), "procedure folder does not exist")
        for path in sorted(site_dir.glob("*.toml")):
            files[path.name] = (str(path), path.read_text(encoding="utf-8"))
    procedures = [parse_procedure(text, source, name[:-5]) for name, (source, text) in sorted(files.items())]
    _check_unique_letters(procedures)
    missing = [k for k in CATEGORY_ORDER if k not in {p.key for p in procedures}]
    if missing:
        raise ProcedureError(str(site_dir or "procedures/"), f"no procedure for categories: {', '.join(missing)}")
    return Procedures(procedures)


def _check_unique_letters(procedures: list[Procedure]) -> None:
    seen: dict[str, str] = {}
    for p in procedures:
        if p.letter in seen:
            raise ProcedureError(p.source, f"letter '{p.letter}' is also used by {seen[p.letter]}")
        seen[p.letter] = p.source


def parse_procedure(text: str, source: str, expected_key: str | None = None) -> Procedure:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProcedureError(source, f"not valid TOML: {exc}") from exc
    key = _str(data, "key", source)
    if expected_key is not None and key != expected_key:
        raise ProcedureError(source, f"key '{key}' does not match the file name '{expected_key}.toml'")
    letter = _str(data, "letter", source)
    if len(letter) != 1 or not letter.isalpha() or not letter.isupper():
        raise ProcedureError(source, f"letter '{letter}' must be one capital letter")
    name = _text(data.get("name"), source, "name")
    minutes = data.get("reply_limit_minutes", DEFAULT_REPLY_MINUTES)
    if not isinstance(minutes, (int, float)) or isinstance(minutes, bool) or not 0 < minutes <= 7 * 24 * 60:
        raise ProcedureError(source, f"reply_limit_minutes must be a number of minutes above 0, not {minutes!r}")
    baseline = _text(data["baseline"], source, "baseline") if "baseline" in data else None
    refers_to = _text(data["refers_to"], source, "refers_to") if "refers_to" in data else None

    branches: list[Branch] = []
    for i, raw in enumerate(_list(data, "branches", source), 1):
        bkey = _str(raw, "key", source, f"branches #{i}")
        if any(b.key == bkey for b in branches):
            raise ProcedureError(source, f"branch '{bkey}' is defined twice")
        branches.append(Branch(bkey, _text(raw.get("name"), source, f"branch '{bkey}' name")))
    branch_keys = {b.key for b in branches}

    steps: list[Step] = []
    raw_steps = _list(data, "steps", source)
    if not raw_steps:
        raise ProcedureError(source, "has no [[steps]]")
    for i, raw in enumerate(raw_steps, 1):
        steps.append(_parse_step(raw, source, i, branch_keys, {s.key for s in steps}))
    for b in branches:
        if not any(s.branch == b.key for s in steps):
            raise ProcedureError(source, f"branch '{b.key}' has no steps")
    mi = next((s for s in steps if s.key == MANAGER_INFORMED), None)
    if mi is None or mi.when != "major" or not mi.required:
        raise ProcedureError(source, f"needs a required step '{MANAGER_INFORMED}' with when = \"major\" "
                             "(a major request cannot close until the manager is informed)")
    known_keys = {"key", "letter", "name", "reply_limit_minutes", "baseline", "branches", "steps",
                  "seed_section", "branch_required", "note", "refers_to"}
    unknown = set(data) - known_keys
    if unknown:
        raise ProcedureError(source, f"unknown setting(s): {', '.join(sorted(unknown))}")
    proc = Procedure(
        key=key,
        letter=letter,
        name=name,
        reply_limit=timedelta(minutes=minutes),
        steps=tuple(steps),
        branches=tuple(branches),
        branch_required=bool(data.get("branch_required", bool(branches))),
        seed_section=str(data.get("seed_section", "")),
        baseline=baseline,
        refers_to=refers_to,
        source=source,
        _by_key={s.key: s for s in steps},
    )
    return proc


_STEP_KEYS = {"key", "zh", "en", "role", "required", "input", "prompt", "branch", "when", "first", "choices", "after",
              "gate"}


def _parse_step(raw: Any, source: str, index: int, branches: set[str], seen: set[str]) -> Step:
    if not isinstance(raw, dict):
        raise ProcedureError(source, f"steps #{index} must be a table")
    key = raw.get("key")
    if not isinstance(key, str) or not key.strip():
        raise ProcedureError(source, "has no key", step=f"#{index}")
    if not key.replace("_", "").replace("-", "").isalnum() or not key.isascii():
        raise ProcedureError(source, "key must be ASCII letters, digits, - or _", step=key)
    if key in seen:
        raise ProcedureError(source, "is defined twice", step=key)
    unknown = set(raw) - _STEP_KEYS
    if unknown:
        raise ProcedureError(source, f"unknown setting(s): {', '.join(sorted(unknown))}", step=key)
    for lang in ("zh", "en"):
        if not isinstance(raw.get(lang), str) or not raw[lang].strip():
            raise ProcedureError(source, f"has no {lang} text", step=key)
    role = raw.get("role")
    if role not in ROLES:
        raise ProcedureError(source, f"role {role!r} is not one of {', '.join(ROLES)}", step=key)
    input_kind = raw.get("input", "none")
    if input_kind not in INPUTS:
        raise ProcedureError(source, f"input {input_kind!r} is not one of {', '.join(INPUTS)}", step=key)
    prompt = None
    if "prompt" in raw:
        prompt = _text(raw["prompt"], source, "prompt", step=key)
    elif input_kind != "none":
        # A confirmation is a question put to someone: the desk must know what to ask.
        raise ProcedureError(source, f"input '{input_kind}' needs a prompt (zh and en)", step=key)
    branch = raw.get("branch")
    if branch is not None and branch not in branches:
        raise ProcedureError(source, f"branch {branch!r} is not declared in [[branches]]", step=key)
    when = raw.get("when")
    if when is not None and when not in CONDITIONS:
        raise ProcedureError(source, f"when {when!r} is not one of {', '.join(CONDITIONS)}", step=key)
    for flag in ("required", "first", "gate"):
        if flag in raw and not isinstance(raw[flag], bool):
            raise ProcedureError(source, f"{flag} must be true or false", step=key)
    if raw.get("gate") and not raw.get("required"):
        raise ProcedureError(source, "a gate must be required (it could be skipped otherwise)", step=key)
    choices = raw.get("choices", [])
    if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
        raise ProcedureError(source, "choices must be a list of strings", step=key)
    after = raw.get("after", [])
    if not isinstance(after, list) or not all(isinstance(a, str) for a in after):
        raise ProcedureError(source, "after must be a list of step keys", step=key)
    for a in after:
        if a not in seen:
            raise ProcedureError(source, f"after names '{a}', which is not a step above this one", step=key)
    return Step(
        key=key,
        text=Text(raw["zh"].strip(), raw["en"].strip()),
        role=role,
        required=raw.get("required", False),
        input=input_kind,
        prompt=prompt,
        branch=branch,
        when=when,
        first=raw.get("first", False),
        choices=tuple(choices),
        after=tuple(after),
        gate=raw.get("gate", False),
    )


def _str(data: Any, name: str, source: str, where: str = "") -> str:
    value = data.get(name) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.strip():
        loc = f"{where}: " if where else ""
        raise ProcedureError(source, f"{loc}'{name}' must be a non-empty string")
    return value.strip()


def _list(data: dict, name: str, source: str) -> list:
    value = data.get(name, [])
    if not isinstance(value, list):
        raise ProcedureError(source, f"'{name}' must be an array of tables ([[{name}]])")
    return value


def _text(value: Any, source: str, what: str, step: str | None = None) -> Text:
    text = Text.parse(value)
    if text is None:
        raise ProcedureError(source, f"{what} needs both zh and en text", step=step)
    return text
