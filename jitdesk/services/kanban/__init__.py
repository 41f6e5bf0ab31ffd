"""Kanban use cases: record a scan, edit loops and cards, size loops, and the board, queue and station reads.

Every module here owns its transactions (services/uow.py) and returns `Changes` or plain dataclasses
the GUI can show; projection names in `Changes`: "loop", "card" and "scan_log".
"""

SCAN_LOG = "scan_log"  # the Changes name of the local scan log
