"""Reusable widgets of the duty desk."""
