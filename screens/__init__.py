"""The desk's screens, installed as liyuan_tui.screens: pages/ (one full screen each), parts/ (the
widgets of pages that open dialogs) and dialogs/ (one modal each). docs/architecture.md has the shape."""
