"""The duty desk: live queue of residents' requests, guided procedures, one shared SQLite file."""
