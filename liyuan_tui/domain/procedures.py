"""The company procedure as data: each category's checklist — steps, branches, who does what,
what must come first — and the rules that read it. Loaded from files by procedure_files.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

INPUTS = ("none", "note", "value", "confirm")
CONDITIONS = ("major", "ordinary", "escalated", "written", "oral", "confidential")
# Every procedure must have this step, applying to major requests: a major request cannot close
# until the company manager has been informed (4.2.2).
MANAGER_INFORMED = "manager_informed"
DEFAULT_REPLY_MINUTES = 10
# The intake form's fields a step may take its answer from (`from_form`).
FORM_FIELDS = ("unit", "phone", "requester_name", "description")
# What a step's offered answer (`default`) may name: the form's fields and the time now (HH:MM).
DEFAULT_PLACEHOLDERS = ("unit", "phone", "name", "description", "now")
DEFAULT_FOLLOWUP_DAYS = 3  # a follow-up call is due this many days after a request closes
DEFAULT_REPEAT_DAYS = 30  # a repair of the same kind at the same unit this soon after is a repeat


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
        if not isinstance(value, dict) or not all(
            isinstance(value.get(k), str) and value[k].strip() for k in ("zh", "en")
        ):
            return None
        return cls(value["zh"].strip(), value["en"].strip())


@dataclass(frozen=True)
class Branch:
    key: str
    name: Text


@dataclass(frozen=True)
class FaultKind:
    """A kind of fault (water, electrics …): two repairs of one kind at one unit close together
    make a repeat repair (二次维修)."""

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
    from_form: str | None = None  # the form's field that answers it: ticked with it when the form is done
    default: Text | None = None  # the answer offered (placeholders filled from the request)
    replies: bool = False  # ticking it is the reply to the resident (stops the reply clock)
    result: bool = False  # it records the department's result or the resident's confirmation
    order_step: str | None = None  # a work order's dispatch, arrival or finish ticks it (one entry)

    @property
    def wants_input(self) -> bool:
        return self.input in ("note", "value")

    @property
    def suggests(self) -> bool:
        """Whether the answer it offers says something the operator has not said ("{now} 已拨通
        120,已受理"): a suggestion they confirm, never recorded for them at a key. An answer
        made only of what the form holds ("{description}") is their own words, taken at once."""
        if self.default is None:
            return False
        import re

        return any(re.sub(r"\{\w+\}|[\s\W]", "", text) for text in (self.default.zh, self.default.en))

    def offered(
        self,
        lang: str,
        *,
        unit: str = "",
        phone: str = "",
        name: str = "",
        description: str = "",
        now: str = "",
    ) -> str:
        """The answer offered for this step: what the form holds, else its default filled in."""
        values = {"unit": unit, "phone": phone, "name": name, "description": description, "now": now}
        if self.from_form is not None:
            held = values["name" if self.from_form == "requester_name" else self.from_form]
            if held:
                return held
        if self.default is None:
            return ""
        return " ".join(self.default(lang).format(**values).split())


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
    arrive_within: timedelta | None = None  # a work order's technician is on site within this
    finish_within: timedelta | None = None  # … and the work is done within this
    followup_days: int = DEFAULT_FOLLOWUP_DAYS  # 0: no follow-up call for this category
    fault_kinds: tuple[FaultKind, ...] = ()  # set: requests of this category are repairs, tracked for repeats
    repeat_days: int = DEFAULT_REPEAT_DAYS
    _by_key: Mapping[str, Step] = field(default_factory=dict, repr=False, compare=False)

    def step(self, key: str) -> Step | None:
        return self._by_key.get(key)

    @property
    def result_steps(self) -> list[Step]:
        """The steps that record the department's result or the resident's confirmation."""
        return [s for s in self.steps if s.result]

    def order_step(self, moment: str) -> Step | None:
        """The step a work order's dispatch, arrival or finish stands for ("dispatch" | "arrive" |
        "finish"), as the procedure file says; None when it names none."""
        return next((s for s in self.steps if s.order_step == moment), None)

    @property
    def form_steps(self) -> list[Step]:
        """The steps the intake form answers (the patient's address, a contact phone)."""
        return [s for s in self.steps if s.from_form]

    def involves(self, roles: Iterable[str]) -> bool:
        """Whether any step of this procedure falls to one of `roles` (security: medical, security
        and disaster call on guards; the security lead hears of those requests as they arrive)."""
        wanted = set(roles)
        return any(s.role in wanted for s in self.steps)

    def branch(self, key: str) -> Branch | None:
        return next((b for b in self.branches if b.key == key), None)

    def fault_kind(self, key: str) -> FaultKind | None:
        return next((k for k in self.fault_kinds if k.key == key), None)

    def applies(self, step: Step, branches: Iterable[str], conditions: Iterable[str]) -> bool:
        """Whether a step is part of this request's checklist, given its branches and conditions."""
        if step.branch is not None and step.branch not in set(branches):
            return False
        return step.when is None or step.when in set(conditions)

    def checklist(self, branches: Iterable[str], conditions: Iterable[str]) -> list[Step]:
        """The steps that apply, in file order, with the chosen branches' steps in the order chosen."""
        chosen = list(dict.fromkeys(branches))
        conds = set(conditions)
        first_branch_at = next((i for i, s in enumerate(self.steps) if s.branch), len(self.steps))
        before = [s for s in self.steps[:first_branch_at] if self.applies(s, chosen, conds)]
        by_branch = [
            s for b in chosen for s in self.steps if s.branch == b and self.applies(s, chosen, conds)
        ]
        after = [
            s for s in self.steps[first_branch_at:] if s.branch is None and self.applies(s, chosen, conds)
        ]
        return before + by_branch + after

    def missing_required(
        self, branches: Iterable[str], conditions: Iterable[str], done: Iterable[str]
    ) -> list[Step]:
        done_set = set(done)
        return [s for s in self.checklist(branches, conditions) if s.required and s.key not in done_set]

    def blocking(
        self, step: Step, branches: Iterable[str], conditions: Iterable[str], done: Iterable[str]
    ) -> list[Step]:
        """The steps still open that must be done before `step` can be ticked: every `first` step
        (unless `step` is one), the steps named in its `after`, and every gate above it in its branch."""
        done_set = set(done)
        listed = self.checklist(branches, conditions)
        return [
            s
            for s in listed
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
    """Steps for a message, in both languages, by what they say (never by their keys): a few by
    name, a longer list as its first ones and how many more (the checklist beside the message, or
    `liyuan show`, has them all)."""
    listed = list(steps)
    head = listed if len(listed) <= say_what else listed[: say_what - 1]
    more = len(listed) - len(head)
    zh = "、".join(f"“{s.text.zh}”" for s in head) + (f" 等 {len(listed)} 项" if more > 0 else "")
    en = "; ".join(f"'{s.text.en}'" for s in head) + (f" and {more} more" if more > 0 else "")
    return Text(zh, en)


def named_branches(branches: Iterable[Branch]) -> Text:
    """Branches for a message, by name in both languages."""
    listed = list(branches)
    return Text(" / ".join(b.name.zh for b in listed), " / ".join(b.name.en for b in listed))


class Procedures(Mapping[str, Procedure]):
    """Every category's procedure, by key; also finds a category by letter or name."""

    def __init__(self, procedures: Iterable[Procedure]) -> None:
        items = sorted(procedures, key=lambda p: p.letter)  # A medical … G other, as the company lists them
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
