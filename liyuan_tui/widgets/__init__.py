"""What the desk's pages are built from and that never opens a dialog: the Page, the keys (one table
of who may use which), the footer, the tables and lists, the messages, store calls off the event
loop (store_work) and the look for other terminals' changes (poller)."""
