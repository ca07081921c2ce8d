"""Subcommands of `liyuan`, one module per area; none imports textual."""
