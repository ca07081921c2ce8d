"""One way the live server differs from what this release installs (server_check.py), with its fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

REPAIR = "repair"  # the fix: `liyuan site repair` as the cluster's administrator
RESTORE = "restore"  # the fix: find out who, and restore the lost events from a backup
STAFF = "staff"  # the fix: put the staff list right with `liyuan staff`, then repair


@dataclass(frozen=True)
class Finding:
    """One way the live server differs from this release: what (`kind`), which object, the
    message key saying the problem (with its values) and the fix."""

    kind: str
    subject: str
    problem: str
    params: dict[str, Any] = field(default_factory=dict)
    fix: str = REPAIR
