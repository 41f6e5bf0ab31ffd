"""Kanban widgets shared by the station, board and queue views: scan feedback, sounds, risk words."""
