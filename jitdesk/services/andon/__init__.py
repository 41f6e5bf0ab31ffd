"""Andon use cases: raise, acknowledge, resolve, cancel, escalate and shelve calls (calls.py), the
station panel and board reads (board.py), and history with CSV (history.py).

Projection names in `Changes`: "andon_call" (per call) and "station_andon" (per station's light).
"""

CALL = "andon_call"
STATION_ANDON = "station_andon"
