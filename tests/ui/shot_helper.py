"""(Development aid, not a test.) Render a screen as plain text lines and as a PNG."""
from __future__ import annotations


def screen_text(app) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)
