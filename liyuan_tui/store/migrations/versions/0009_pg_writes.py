"""PostgreSQL writes without the one global lock (issue 24): on a site, the ladder's rung function
`liyuan_ladder_rung()` now locks its request's or work order's row before it looks for the rung.
No table changes; the revision is there so that `liyuan migrate` on a site puts the new function
body in place (it reinstalls the server's functions, grants and policies after its steps), where
`liyuan check` would otherwise report the old body as drifted until `liyuan site repair`.

Revision ID: 0009
Revises: 0008 (the company text made whole)
"""

from __future__ import annotations

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing in the tables: migrate reinstalls a site's functions after the steps (migrate.py)."""


def downgrade() -> None:
    """Nothing to undo in the tables."""
