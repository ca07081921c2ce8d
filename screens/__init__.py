"""Screens of the duty desk, installed as liyuan_tui.screens."""
