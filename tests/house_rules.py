"""The design's rules that import-linter cannot see (it knows which module imports which, not what
a module does with it), checked on the syntax tree of every module of a package folder:

- the store's door: outside `store/`, nothing reaches `.kernel` or `.engine` (the Store's areas
  and methods are the way in);
- one place for database errors: outside `store/faults.py`, no module imports the drivers' error
  classes or catches one (`except OperationalError`, `except sqlite3.Error` …);
- no lazy import that dodges the contracts: no `importlib.import_module`, `__import__` or
  `importlib.util` anywhere in the package;
- the schema's modules (where the tables are declared) import only what declares a table from
  SQLAlchemy and SQLModel: no session, engine or connection in the domain;
- the reports read through `ReportSource` (reports/source.py): a report's `store` parameter is
  annotated with it, never `Any` or the concrete `Store`;
- one clock: outside `domain/clock.py`, nothing reads the time or sleeps on its own
  (`datetime.now`, `time.time`, `time.monotonic`, `time.sleep` …): `now` comes from the injected
  clock, real time passing from its `pause` and `stopwatch`.

`violations(package)` lists what breaks them as "path:line: rule: what" (tests/test_layers.py runs
it on the tree, and on a copy with a violation of each planted).
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

STORE = "store"
FAULTS = "store/faults.py"
CLOCK = "domain/clock.py"
CLOCK_CALLS = {
    f"{module}.{name}"
    for module, names in (
        ("time", ("time", "time_ns", "monotonic", "monotonic_ns", "perf_counter", "sleep")),
        ("datetime", ("now", "utcnow", "today")),
        ("datetime.datetime", ("now", "utcnow", "today")),
        ("date", ("today",)),
        ("datetime.date", ("today",)),
    )
    for name in names
}
SCHEMA = (
    "domain/column_types.py",
    "domain/models.py",
    "domain/workshop.py",
    "domain/records.py",
    "domain/paging.py",
    "domain/desk_records.py",
)
DRIVER_ERROR_MODULES = ("sqlalchemy.exc", "psycopg.errors", "sqlite3.dbapi2")
DRIVER_MODULES = ("sqlite3", "psycopg", "sqlalchemy", "sqlalchemy.exc")
DRIVER_ERRORS = {
    "Error",
    "DatabaseError",
    "OperationalError",
    "IntegrityError",
    "InterfaceError",
    "ProgrammingError",
    "DBAPIError",
    "SQLAlchemyError",
    "InternalError",
    "DataError",
    "NotSupportedError",
}
# What a table declaration needs (a column's type, a constraint, an index) — never a session.
SCHEMA_NAMES = {
    "Column",
    "DateTime",
    "Index",
    "Text",
    "UniqueConstraint",
    "TypeDecorator",
    "Dialect",  # (what a column type's conversion is handed)
    "Field",
    "SQLModel",
    "Relationship",
}


def _modules(package: Path) -> list[tuple[str, ast.Module]]:
    """(path relative to the package, tree) of every module; a linked folder (screens) followed."""
    paths = [
        Path(folder) / file
        for folder, _dirs, files in os.walk(package, followlinks=True)
        for file in files
        if file.endswith(".py")
    ]
    found = []
    for path in sorted(paths):
        parts = path.relative_to(package).parts
        if "__pycache__" in parts or "migrations" in parts:
            continue
        found.append(("/".join(parts), ast.parse(path.read_text(), str(path))))
    return found


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _caught(handler: ast.ExceptHandler) -> list[str]:
    if handler.type is None:
        return []
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return [_dotted(k) for k in kinds]


def _check(name: str, tree: ast.Module) -> list[str]:
    out: list[str] = []
    in_store = name.startswith(STORE + "/")
    imported_errors: set[str] = set()  # names bound to a driver's error class in this module

    def say(node: ast.AST, rule: str, what: str) -> None:
        out.append(f"{name}:{getattr(node, 'lineno', 0)}: {rule}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module in DRIVER_ERROR_MODULES or (
                node.module in DRIVER_MODULES and any(a.name in DRIVER_ERRORS for a in node.names)
            ):
                imported_errors.update(a.asname or a.name for a in node.names)
                if name != FAULTS:
                    say(node, "one-place-for-database-errors", f"imports {node.module}")
            if node.module == "importlib" and any(a.name in ("import_module", "util") for a in node.names):
                say(node, "no-lazy-imports", "imports importlib's import_module/util")
            if node.module.startswith("importlib.util"):
                say(node, "no-lazy-imports", f"imports {node.module}")
            if name in SCHEMA and node.module.split(".")[0] in ("sqlalchemy", "sqlmodel"):
                extra = sorted(a.name for a in node.names if a.name not in SCHEMA_NAMES)
                if extra:
                    say(node, "schema-declares-tables-only", f"imports {', '.join(extra)} from {node.module}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in DRIVER_ERROR_MODULES and name != FAULTS:
                    say(node, "one-place-for-database-errors", f"imports {alias.name}")
                if alias.name.startswith("importlib.util"):
                    say(node, "no-lazy-imports", f"imports {alias.name}")
        elif isinstance(node, ast.Call):
            called = _dotted(node.func)
            if called in ("importlib.import_module", "import_module", "__import__", "builtins.__import__"):
                say(node, "no-lazy-imports", f"calls {called}()")
            if called in CLOCK_CALLS and name != CLOCK:
                say(node, "one-clock", f"calls {called}()")
        elif isinstance(node, ast.Attribute) and node.attr in ("kernel", "engine") and not in_store:
            say(node, "the-store-is-the-door", f"reaches .{node.attr}")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and name.startswith("reports/"):
            for arg in node.args.args + node.args.kwonlyargs:
                if arg.arg == "store" and (
                    arg.annotation is None or _dotted(arg.annotation) != "ReportSource"
                ):
                    shown = ast.unparse(arg.annotation) if arg.annotation is not None else "nothing"
                    say(node, "reports-read-through-the-protocol", f"{node.name}(store: {shown})")

    if name != FAULTS:
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler):
                for kind in _caught(node):
                    head, _, last = kind.rpartition(".")
                    driver = (
                        head.split(".")[0] in ("sqlite3", "psycopg", "sqlalchemy") and last in DRIVER_ERRORS
                    )
                    if driver or kind in imported_errors:
                        say(node, "one-place-for-database-errors", f"catches {kind}")
    return out


def violations(package: Path) -> list[str]:
    """Every breach of the rules above in the package folder (liyuan_tui, or a planted copy)."""
    found: list[str] = []
    for name, tree in _modules(package):
        found += _check(name, tree)
    return found


MAX_LINES = 400
# Every layer: the UI's pages, parts, dialogs and widgets as well (a screens/ module is a file of the
# linked top-level folder).
SIZED = ("domain/", "store/", "reports/", "cli/", "widgets/", "screens/", "app.py")


def long_modules(package: Path, limit: int = MAX_LINES) -> list[str]:
    """Modules of the sized layers over `limit` lines ("store/kernel.py: 495 lines")."""
    out = []
    for name, _tree in _modules(package):
        if name.startswith(SIZED):
            lines = (package / name).read_text().count("\n")
            if lines > limit:
                out.append(f"{name}: {lines} lines")
    return out
