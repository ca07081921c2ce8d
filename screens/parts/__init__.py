"""The parts pages are built from that open dialogs: each owns the keys it does (widgets/keys.py),
runs its store calls in its own workers and shows what it changed. A part never imports a page."""
