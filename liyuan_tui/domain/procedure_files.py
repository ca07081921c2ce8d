"""Loading the procedures: `data/procedures/<category>.toml`, with a site's own folder.

Each file is one category's checklist. A site replaces or adds files in its own folder
(LIYUAN_PROCEDURES) without touching code; a malformed file is refused with an error naming the
file, the step and the problem.
"""

from __future__ import annotations

import functools
import tomllib
from datetime import timedelta
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from .procedures import (
    CONDITIONS,
    DEFAULT_FOLLOWUP_DAYS,
    DEFAULT_PLACEHOLDERS,
    DEFAULT_REPEAT_DAYS,
    DEFAULT_REPLY_MINUTES,
    FORM_FIELDS,
    INPUTS,
    MANAGER_INFORMED,
    Branch,
    FaultKind,
    Procedure,
    ProcedureError,
    Procedures,
    Step,
    Text,
)
from .vocabulary import ROLES


def shipped_folder() -> Traversable:
    return resources.files("liyuan_tui.data") / "procedures"


def load_procedures(site_dir: Path | None = None) -> Procedures:
    """The shipped procedures, with a site's own files (same name replaces, new name adds)."""
    return procedures_from(procedure_texts(site_dir))


def procedure_texts(site_dir: Path | None = None) -> dict[str, tuple[str, str]]:
    """file name → (where it came from, its text): the shipped files, with a folder's own."""
    files: dict[str, tuple[str, str]] = {}
    for entry in shipped_folder().iterdir():
        if entry.name.endswith(".toml"):
            files[entry.name] = (f"procedures/{entry.name}", entry.read_text(encoding="utf-8"))
    if site_dir is not None:
        try:
            if not site_dir.is_dir():
                raise ProcedureError(str(site_dir), "procedure folder does not exist")
            for path in sorted(site_dir.glob("*.toml")):
                files[path.name] = (str(path), path.read_text(encoding="utf-8"))
        except OSError as exc:  # unreadable, a name too long
            raise ProcedureError(str(site_dir), f"cannot be read: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise ProcedureError(str(site_dir), "a file in it is not UTF-8 text") from None
    return files


def procedures_from(files: dict[str, tuple[str, str]]) -> Procedures:
    """Every procedure of `procedure_texts()` (or of a published version), checked."""
    return _parsed(tuple(sorted(files.items())))


@functools.lru_cache(maxsize=8)
def _parsed(files: tuple[tuple[str, tuple[str, str]], ...]) -> Procedures:
    """The same texts parse to the same (immutable) procedures: parsed once in a process, however
    many stores open on them (a desk re-reading a published version, the stores of a test run).
    A refusal is not kept: the same texts are refused again."""
    procedures = [parse_procedure(text, source, name[:-5]) for name, (source, text) in files]
    _check_unique_letters(procedures)
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
        raise ProcedureError(
            source, f"reply_limit_minutes must be a number of minutes above 0, not {minutes!r}"
        )
    arrive_within = _limit(data, "arrive_within_minutes", source, 7 * 24 * 60, timedelta(minutes=1))
    finish_within = _limit(data, "finish_within_hours", source, 90 * 24, timedelta(hours=1))
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
        raise ProcedureError(
            source,
            f"needs a required step '{MANAGER_INFORMED}' with when = \"major\" "
            "(a major request cannot close until the manager is informed)",
        )
    followup_days = _days(data, "followup_days", DEFAULT_FOLLOWUP_DAYS, 0, source)
    repeat_days = _days(data, "repeat_days", DEFAULT_REPEAT_DAYS, 1, source)
    fault_kinds = _fault_kinds(data, source)
    known_keys = {
        "key",
        "letter",
        "name",
        "reply_limit_minutes",
        "baseline",
        "branches",
        "steps",
        "seed_section",
        "branch_required",
        "note",
        "refers_to",
        "arrive_within_minutes",
        "finish_within_hours",
        "followup_days",
        "repeat_days",
        "fault_kinds",
    }
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
        arrive_within=arrive_within,
        finish_within=finish_within,
        followup_days=followup_days,
        fault_kinds=fault_kinds,
        repeat_days=repeat_days,
        _by_key={s.key: s for s in steps},
    )
    return proc


def _days(data: dict[str, Any], name: str, default: int, low: int, source: str) -> int:
    value = data.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= 365:
        raise ProcedureError(
            source, f"{name} must be a whole number of days from {low} to 365, not {value!r}"
        )
    return value


def _fault_kinds(data: dict[str, Any], source: str) -> tuple[FaultKind, ...]:
    """`[[fault_kinds]]` key + zh + en: the kinds of fault a repair is filed under."""
    kinds: list[FaultKind] = []
    for i, raw in enumerate(_list(data, "fault_kinds", source), 1):
        key = _str(raw, "key", source, f"fault_kinds #{i}")
        if not key.isascii() or not key.replace("_", "").isalnum():
            raise ProcedureError(source, f"fault kind '{key}': key must be ASCII letters, digits or _")
        if any(k.key == key for k in kinds):
            raise ProcedureError(source, f"fault kind '{key}' is defined twice")
        unknown = set(raw) - {"key", "zh", "en"}
        if unknown:
            raise ProcedureError(
                source, f"fault kind '{key}': unknown setting(s): {', '.join(sorted(unknown))}"
            )
        kinds.append(FaultKind(key, _text(raw, source, f"fault kind '{key}'")))
    if len(kinds) > 9:
        raise ProcedureError(source, "at most 9 fault_kinds (the form chooses them with the keys 1–9)")
    return tuple(kinds)


_STEP_KEYS = {
    "key",
    "zh",
    "en",
    "role",
    "required",
    "input",
    "prompt",
    "branch",
    "when",
    "first",
    "choices",
    "after",
    "gate",
    "from_form",
    "default",
    "replies",
    "result",
    "order_step",
}
ORDER_STEPS = ("dispatch", "arrive", "finish")  # a work order's moments a step may stand for


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
    for flag in ("required", "first", "gate", "replies", "result"):
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
    from_form = raw.get("from_form")
    if from_form is not None and from_form not in FORM_FIELDS:
        raise ProcedureError(
            source, f"from_form {from_form!r} is not one of {', '.join(FORM_FIELDS)}", step=key
        )
    if from_form is not None and input_kind not in ("value", "note"):
        raise ProcedureError(
            source, 'from_form needs input = "value" or "note" (the form\'s text is kept)', step=key
        )
    default = _default(raw.get("default"), source, key) if "default" in raw else None
    order_step = raw.get("order_step")
    if order_step is not None and order_step not in ORDER_STEPS:
        raise ProcedureError(
            source, f"order_step {order_step!r} is not one of {', '.join(ORDER_STEPS)}", step=key
        )
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
        from_form=from_form,
        default=default,
        replies=raw.get("replies", False),
        result=raw.get("result", False),
        order_step=order_step,
    )


def _default(value: Any, source: str, step: str) -> Text:
    """A step's offered answer: one text for both languages, or {zh, en}; placeholders in braces
    are filled from the request when the step is ticked."""
    text = Text(value, value) if isinstance(value, str) and value.strip() else Text.parse(value)
    if text is None:
        raise ProcedureError(source, "default must be a text, or {zh, en}", step=step)
    import string

    for lang_text in (text.zh, text.en):
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(lang_text) if name is not None}
        except ValueError as exc:
            raise ProcedureError(source, f"default {lang_text!r}: {exc}", step=step) from None
        unknown = names - set(DEFAULT_PLACEHOLDERS)
        if unknown:
            raise ProcedureError(
                source,
                f"default uses {{{', '.join(sorted(unknown))}}}; "
                f"known: {', '.join('{' + p + '}' for p in DEFAULT_PLACEHOLDERS)}",
                step=step,
            )
    return text


def _limit(data: dict[str, Any], name: str, source: str, most: float, unit: timedelta) -> timedelta | None:
    """A work order's on-site time limit (`arrive_within_minutes`, `finish_within_hours`), if set."""
    if name not in data:
        return None
    value = data[name]
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value <= most:
        raise ProcedureError(source, f"{name} must be a number above 0 and at most {most:g}, not {value!r}")
    return unit * value


def _str(data: Any, name: str, source: str, where: str = "") -> str:
    value = data.get(name) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.strip():
        loc = f"{where}: " if where else ""
        raise ProcedureError(source, f"{loc}'{name}' must be a non-empty string")
    return value.strip()


def _list(data: dict[str, Any], name: str, source: str) -> list[Any]:
    value = data.get(name, [])
    if not isinstance(value, list):
        raise ProcedureError(source, f"'{name}' must be an array of tables ([[{name}]])")
    return value


def _text(value: Any, source: str, what: str, step: str | None = None) -> Text:
    text = Text.parse(value)
    if text is None:
        raise ProcedureError(source, f"{what} needs both zh and en text", step=step)
    return text
